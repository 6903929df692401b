package io.stepwise.cli;

/** The least role a command needs; names the local stack's token file for it ({@code .stepwise/tokens/<role>}). */
enum Role {
    VIEWER, OPERATOR, APPROVER, ADMIN;

    String file() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
