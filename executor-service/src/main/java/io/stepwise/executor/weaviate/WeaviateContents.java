package io.stepwise.executor.weaviate;

import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.health.Contents;
import io.stepwise.executor.health.ContentsReader;
import io.stepwise.executor.weaviate.WeaviateDtos.GraphQLResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.SchemaClass;
import io.stepwise.model.Product;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Each collection's object count: the classes of {@code GET /v1/schema}, counted by GraphQL
 * {@code { Aggregate { <Class> { meta { count } } } }} (a hundred collections a query). A multi-tenant collection
 * counts per tenant only, so it is named as not counted rather than walked tenant by tenant.
 */
@ApplicationScoped
public class WeaviateContents implements ContentsReader {

    /** Weaviate's own rule for class names, so a name can never change the query's shape. */
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Z][_0-9A-Za-z]*");
    private static final int PER_QUERY = 100;

    private final WeaviateClient client;

    public WeaviateContents(WeaviateClient client) {
        this.client = client;
    }

    @Override
    public Product product() {
        return Product.WEAVIATE;
    }

    @Override
    public Contents read(StepRequested step) {
        List<String> countable = new ArrayList<>();
        Map<String, String> notCounted = new LinkedHashMap<>();
        for (SchemaClass c : client.schema(step).classes()) {
            if (c.multiTenant()) {
                notCounted.put(c.name(), "multi-tenant");
            } else if (c.name() == null || !CLASS_NAME.matcher(c.name()).matches()) {
                notCounted.put(String.valueOf(c.name()), "not a valid class name");
            } else {
                countable.add(c.name());
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int from = 0; from < countable.size(); from += PER_QUERY) {
            counts.putAll(count(step, countable.subList(from, Math.min(countable.size(), from + PER_QUERY))));
        }
        return new Contents("collection", "objects", counts, notCounted);
    }

    private Map<String, Long> count(StepRequested step, List<String> classes) {
        String query = classes.stream().map(c -> c + " { meta { count } }")
                .collect(Collectors.joining(" ", "{ Aggregate { ", " } }"));
        GraphQLResponse answer = client.graphql(step, query);
        if (!answer.errors().isEmpty()) {
            throw new StepFailedException("counting the objects of cluster " + step.clusterId() + " failed: "
                    + WeaviateSampleQuery.describe(answer.errors()));
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String c : classes) {
            Long count = countOf(answer, c);
            if (count == null) {
                throw new StepFailedException("Weaviate answered no object count for collection " + c + " of cluster "
                        + step.clusterId());
            }
            counts.put(c, count);
        }
        return counts;
    }

    /** {@code data.Aggregate.<Class>[0].meta.count}, or null when the answer has none. */
    private static Long countOf(GraphQLResponse answer, String className) {
        if (answer.data().get("Aggregate") instanceof Map<?, ?> aggregate
                && aggregate.get(className) instanceof List<?> groups && !groups.isEmpty()
                && groups.get(0) instanceof Map<?, ?> group && group.get("meta") instanceof Map<?, ?> meta
                && meta.get("count") instanceof Number count) {
            return count.longValue();
        }
        return null;
    }
}
