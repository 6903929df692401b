package io.stepwise.executor.handler;

import io.stepwise.model.Product;
import io.stepwise.model.StepRequested;

/**
 * Reads what a cluster of one product runs, changing nothing: for a step's pre-flight check and for probes. One bean
 * per product, found by {@link StepHandlers}.
 */
public interface ClusterReader {

    Product product();

    /** The cluster's nodes and versions; throws (a {@link StepFailedException} naming why) when it cannot be read. */
    ClusterFacts read(StepRequested step);
}
