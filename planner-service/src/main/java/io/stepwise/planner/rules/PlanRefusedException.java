package io.stepwise.planner.rules;

import io.stepwise.model.RefusalCode;

/** Thrown by a {@link ProductPlanner} when a rule refuses the cluster; the engine turns it into a {@link Refusal}. */
public class PlanRefusedException extends RuntimeException {

    private final RefusalCode code;

    public PlanRefusedException(RefusalCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public RefusalCode code() {
        return code;
    }
}
