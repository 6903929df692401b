package io.stepwise.executor.support;

import io.stepwise.executor.handler.ProgressReporter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every progress line a handler reports, for assertions. */
public final class RecordingProgress implements ProgressReporter {

    private final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void report(String message, String observedVersion) {
        messages.add(message);
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }
}
