package io.stepwise.planner.rest;

/**
 * The roles of Stepwise, as tokens carry them (mapped from the identity provider's claim by configuration):
 * {@code viewer} reads, {@code operator} plans and steers rollouts and keeps the inventory, {@code approver} lets a
 * cluster pass a manual gate, {@code admin} may do everything. {@code impersonator}, held only by service accounts,
 * may name the person it acts for.
 */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";
    public static final String APPROVER = "approver";
    public static final String ADMIN = "admin";
    public static final String IMPERSONATOR = "impersonator";

    private Roles() {
    }
}
