package io.stepwise.executor.weaviate;

import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.weaviate.WeaviateDtos.GraphQLError;
import io.stepwise.executor.weaviate.WeaviateDtos.GraphQLResponse;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The query a VERIFY runs to see the cluster answer as its applications will: the cluster's {@code extra.sampleQuery},
 * else {@code stepwise.executor.weaviate.sample-query}, else none. It must answer without errors, and a {@code Get}
 * must find at least one object of each collection it asks for.
 */
@ApplicationScoped
public class WeaviateSampleQuery {

    /** The registration's {@code extra} key. */
    public static final String EXTRA_KEY = "sampleQuery";

    private final WeaviateClient client;
    private final Optional<String> configured;

    public WeaviateSampleQuery(WeaviateClient client, ExecutorConfig config) {
        this.client = client;
        this.configured = config.weaviate().sampleQuery().filter(q -> !q.isBlank());
    }

    /** Runs the cluster's sample query; answers what it found, empty when there is none to run. */
    public Optional<String> run(StepRequested step) {
        Optional<String> query = Optional.ofNullable(step.cluster() == null ? null
                        : step.cluster().extra().get(EXTRA_KEY)).filter(q -> !q.isBlank()).or(() -> configured);
        if (query.isEmpty()) {
            return Optional.empty();
        }
        GraphQLResponse answer;
        try {
            answer = client.graphql(step, query.get());
        } catch (WeaviateApiException e) {
            throw new StepFailedException("the sample query failed on cluster " + step.clusterId() + ": "
                    + e.getMessage(), e);
        }
        if (!answer.errors().isEmpty()) {
            throw new StepFailedException("the sample query failed on cluster " + step.clusterId() + ": "
                    + describe(answer.errors()));
        }
        List<String> found = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        if (answer.data().get("Get") instanceof Map<?, ?> get) {
            get.forEach((collection, objects) -> {
                int n = objects instanceof List<?> list ? list.size() : 0;
                if (n == 0) {
                    empty.add(String.valueOf(collection));
                } else {
                    found.add(n + " " + collection);
                }
            });
        }
        if (!empty.isEmpty()) {
            throw new StepFailedException("the sample query found no objects on cluster " + step.clusterId() + ": "
                    + String.join(", ", empty) + " answered none");
        }
        return Optional.of(found.isEmpty() ? "sample query answered" : "sample query found " + String.join(", ", found));
    }

    /** The errors' messages, with where in the query each one is when Weaviate says. */
    static String describe(List<GraphQLError> errors) {
        return errors.stream().map(e -> {
            String where = e.locations() == null || e.locations().isEmpty() ? ""
                    : " (line " + e.locations().get(0).get("line") + ", column " + e.locations().get(0).get("column") + ")";
            return e.message() + where;
        }).collect(Collectors.joining("; "));
    }
}
