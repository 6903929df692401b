package io.stepwise.simulator.core;

/** A request the simulator refuses, with the HTTP status a real server would answer. */
public class SimulatorException extends RuntimeException {
    private final int status;

    public SimulatorException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
