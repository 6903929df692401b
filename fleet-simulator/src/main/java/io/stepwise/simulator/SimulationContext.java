package io.stepwise.simulator;

import io.stepwise.simulator.fault.FaultInjector;
import io.stepwise.simulator.ledger.Ledger;

import java.time.Instant;

/** What every simulated cluster shares: settings and clock, the ledger and the standing faults. */
public record SimulationContext(SimulatorSettings settings, Ledger ledger, FaultInjector faults) {

    public Instant now() {
        return settings.clock().instant();
    }
}
