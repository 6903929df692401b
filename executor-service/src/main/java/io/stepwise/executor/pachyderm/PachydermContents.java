package io.stepwise.executor.pachyderm;

import io.stepwise.executor.health.Contents;
import io.stepwise.executor.health.ContentsReader;
import io.stepwise.model.Product;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Each repo's commit count: the repos of {@code pachctl list repo}, each counted with {@code pachctl list commit
 * <repo>} (one line per commit under a header, in 1.x and 2.x alike). A name that could read as a flag is not passed to
 * pachctl and is named as not counted.
 */
@ApplicationScoped
public class PachydermContents implements ContentsReader {

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");

    private final Pachctl pachctl;

    public PachydermContents(Pachctl pachctl) {
        this.pachctl = pachctl;
    }

    @Override
    public Product product() {
        return Product.PACHYDERM;
    }

    @Override
    public Contents read(StepRequested step) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, String> notCounted = new LinkedHashMap<>();
        for (String repo : pachctl.repos(step)) {
            if (SAFE_NAME.matcher(repo).matches()) {
                counts.put(repo, pachctl.commitCount(step, repo));
            } else {
                notCounted.put(repo, "a name pachctl could read as a flag");
            }
        }
        return new Contents("repo", "commits", counts, notCounted);
    }
}
