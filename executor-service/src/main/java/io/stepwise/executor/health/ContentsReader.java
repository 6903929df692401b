package io.stepwise.executor.health;

import io.stepwise.model.Product;
import io.stepwise.model.StepRequested;

/**
 * Counts what a cluster of one product holds, changing nothing: before a rollout first changes it, and at each VERIFY.
 * One bean per product that has something to count; a product without one is not counted.
 */
public interface ContentsReader {

    Product product();

    /** Throws (a {@code StepFailedException} naming why) when the cluster cannot be counted. */
    Contents read(StepRequested step);
}
