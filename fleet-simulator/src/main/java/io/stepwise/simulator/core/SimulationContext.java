package io.stepwise.simulator.core;

import io.stepwise.simulator.fault.FaultInjector;
import io.stepwise.simulator.ledger.Ledger;

import java.time.Clock;
import java.time.Instant;

/** What every simulated cluster shares: the clock, the ledger and the standing faults. */
public record SimulationContext(Clock clock, Ledger ledger, FaultInjector faults) {

    public Instant now() {
        return clock.instant();
    }
}
