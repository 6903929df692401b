package io.stepwise.executor.pachyderm;

import io.stepwise.executor.actuator.CommandTemplate;
import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.config.KubernetesNamespaces;
import io.stepwise.executor.config.Names;
import io.stepwise.executor.handler.ConnectionCheck;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.model.Product;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The arguments of {@code pachctl deploy}: the cluster's {@code extra.deployArgs}, else
 * {@code stepwise.executor.pachyderm.deploy-args}. Every flag must be in
 * {@code stepwise.executor.pachyderm.allowed-deploy-flags} (a flag such as {@code --tls=cert,key} would read the
 * executor's files into the cluster, {@code --context} pick another Kubernetes cluster), a {@code --namespace} must be
 * one the executor may act in, and every other argument is plain text. Checked before a Pachyderm step starts (an
 * UPGRADE undeploys before it deploys: refusing the deploy then would leave the cluster down) and again when used.
 */
@ApplicationScoped
public class PachydermDeployArgs implements ConnectionCheck {

    public static final String EXTRA_KEY = "deployArgs";

    private final String defaults;
    private final Set<String> allowedFlags;
    private final KubernetesNamespaces namespaces;

    public PachydermDeployArgs(ExecutorConfig config, KubernetesNamespaces namespaces) {
        this.defaults = config.pachyderm().deployArgs();
        this.allowedFlags = new TreeSet<>(config.pachyderm().allowedDeployFlags().stream().map(String::trim)
                .filter(f -> !f.isEmpty()).toList());
        this.namespaces = namespaces;
    }

    @Override
    public void check(StepRequested step) {
        if (step.product() == Product.PACHYDERM && step.cluster() != null) {
            // the version is not known yet here; a placeholder stands in for it
            args(step, step.toVersion() == null ? "0.0.0" : step.toVersion());
        }
    }

    /** The checked arguments after {@code deploy}, for the client of {@code version}. */
    public List<String> args(StepRequested step, String version) {
        String given = step.cluster() == null ? null : step.cluster().extra().get(EXTRA_KEY);
        String template = given == null || given.isBlank() ? defaults : given;
        List<String> args = CommandTemplate.render(template, CommandTemplate.values(step, version));
        List<String> checked = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
                throw refused(step, "an argument holds control characters");
            }
            if (arg.startsWith("-")) {
                String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                if (!allowedFlags.contains(flag)) {
                    throw refused(step, "the flag '" + Names.printable(flag) + "' is not in"
                            + " stepwise.executor.pachyderm.allowed-deploy-flags " + allowedFlags);
                }
                if (flag.equals("--namespace")) {
                    String namespace = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1)
                            : i + 1 < args.size() ? args.get(i + 1) : "";
                    namespaces.require(namespace, step.clusterId());
                }
            }
            checked.add(arg);
        }
        return checked;
    }

    private static StepFailedException refused(StepRequested step, String why) {
        return new StepFailedException("the pachctl deploy arguments of cluster " + step.clusterId() + " (extra."
                + EXTRA_KEY + " or stepwise.executor.pachyderm.deploy-args) are refused: " + why + "; nothing was run");
    }
}
