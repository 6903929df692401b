package io.stepwise.executor.handler;

/** Takes secrets out of a text before it is logged or published (implemented by the executor's {@code Redactor}). */
@FunctionalInterface
public interface Redaction {

    String redact(String text);
}
