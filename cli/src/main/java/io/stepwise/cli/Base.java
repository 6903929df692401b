package io.stepwise.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command reaches: the root's options and context, the API, stdout. */
abstract class Base implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    Stepwise root() {
        return (Stepwise) spec.root().userObject();
    }

    Context context() {
        return root().context;
    }

    PrintWriter out() {
        return context().out();
    }

    Format format() {
        return root().output;
    }

    Api api(Role role) {
        return root().api(role);
    }

    /** A path segment as the URL needs it (ids are plain, but a typo should not become another path). */
    static String segment(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query parameter's value; spaces as %20, which every server reads as a space ('+' some read as '+'). */
    static String query(String value) {
        return segment(value);
    }
}
