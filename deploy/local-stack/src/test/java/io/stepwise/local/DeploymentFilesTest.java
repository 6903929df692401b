package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment files (docker-compose.yml, deploy/k8s, the Grafana dashboard, docs/asyncapi.yaml) cannot be
 * run here (no Docker, no Kubernetes), so this checks what would break them for a user: files that do not
 * parse, floating image tags, environment variables no service reads (silently ignored, so the setting
 * never takes effect), and an event contract that has drifted from the Java records.
 */
class DeploymentFilesTest {

    /** The repository root: this module is deploy/local-stack. */
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("../..").toAbsolutePath().normalize();
    private static final Path MODEL = ROOT.resolve("common-model/src/main/java/io/stepwise/model");

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)");
    private static final Pattern METRIC_NAME = Pattern.compile("\\b(stepwise_[a-z0-9_]+|kafka_[a-z0-9_]+)\\b");

    // ---------------------------------------------------------------- docker-compose.yml

    @Test
    void composeRunsKafkaPostgresAndTheThreeServicesWithHealthChecks() {
        Map<String, Object> services = map(composeFile().get("services"));
        assertThat(services).containsKeys("kafka", "postgres", "planner", "executor", "fleet-simulator");

        Map<String, String> modules = stepwiseServicesInCompose();
        assertThat(modules).as("compose services built from a module")
                .containsOnly(Map.entry("planner", "planner-service"), Map.entry("executor", "executor-service"),
                        Map.entry("fleet-simulator", "fleet-simulator"));

        List<String> problems = new ArrayList<>();
        for (String name : modules.keySet()) {
            Map<String, Object> service = map(services.get(name));
            Map<String, Object> build = map(service.get("build"));
            Path dockerfile = ROOT.resolve(String.valueOf(build.get("context"))).resolve(String.valueOf(build.get("dockerfile")));
            if (!Files.isRegularFile(dockerfile)) {
                problems.add(name + ": Dockerfile " + dockerfile + " does not exist");
            }
            Object test = map(service.get("healthcheck")).get("test");
            if (test == null || !String.valueOf(test).contains("/q/health/ready")) {
                problems.add(name + ": healthcheck does not ask /q/health/ready");
            }
            Object dependsOn = service.get("depends_on");
            if (dependsOn != null) {
                map(dependsOn).forEach((other, spec) -> {
                    if (!services.containsKey(other)) {
                        problems.add(name + ": depends on unknown service " + other);
                    } else if (!(spec instanceof Map<?, ?> m) || m.get("condition") == null) {
                        problems.add(name + ": depends_on " + other + " has no condition");
                    } else if ("service_healthy".equals(m.get("condition")) && map(services.get(other)).get("healthcheck") == null) {
                        problems.add(name + ": waits for " + other + " to be healthy, but it has no healthcheck");
                    }
                });
            }
        }
        assertThat(problems).as("problems in docker-compose.yml").isEmpty();
    }

    @Test
    void composeGivesServicesOnlyEnvironmentVariablesTheyRead() {
        Map<String, Object> services = map(composeFile().get("services"));
        List<String> unknown = new ArrayList<>();
        stepwiseServicesInCompose().forEach((name, module) -> {
            ServiceConfig config = ServiceConfig.of(ROOT.resolve(module));
            for (String variable : environmentNames(map(services.get(name)).get("environment"))) {
                if (!config.reads(variable)) {
                    unknown.add(name + " (" + module + "): " + variable);
                }
            }
        });
        assertThat(unknown).as("environment variables in docker-compose.yml that map to no config key of the service").isEmpty();
    }

    @Test
    void composeRunsTheExecutorOnItsOwnDatabase() {
        Map<String, Object> services = map(composeFile().get("services"));
        Map<String, Object> executorEnv = map(map(services.get("executor")).get("environment"));
        Map<String, Object> plannerEnv = map(map(services.get("planner")).get("environment"));
        assertThat(String.valueOf(executorEnv.get("STEPWISE_DB_URL"))).endsWith("/stepwise_executor");
        assertThat(String.valueOf(plannerEnv.get("STEPWISE_DB_URL"))).endsWith("/stepwise");
        // The postgres image creates only POSTGRES_DB; the second database comes from an init script.
        try (Stream<Path> scripts = Files.list(ROOT.resolve("deploy/compose/postgres-init"))) {
            assertThat(scripts.map(DeploymentFilesTest::read))
                    .anySatisfy(sql -> assertThat(sql).containsIgnoringCase("CREATE DATABASE stepwise_executor"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- images

    @Test
    void everyImageIsPinnedToATagOtherThanLatest() {
        Map<String, String> images = new LinkedHashMap<>();
        map(composeFile().get("services")).forEach((name, service) -> {
            Object image = map(service).get("image");
            if (image != null) {
                images.put("docker-compose.yml " + name, String.valueOf(image));
            }
        });
        for (String module : List.of("planner-service", "executor-service", "fleet-simulator")) {
            Path dockerfile = ROOT.resolve(module).resolve("src/main/docker/Dockerfile.jvm");
            assertThat(dockerfile).exists();
            read(dockerfile).lines().map(String::strip).filter(l -> l.regionMatches(true, 0, "FROM ", 0, 5))
                    .forEach(l -> images.put(ROOT.relativize(dockerfile).toString(), l.substring(5).strip().split("\\s+")[0]));
        }
        for (Map<String, Object> doc : kubernetesDocuments().values().stream().flatMap(List::stream).toList()) {
            if ("Deployment".equals(doc.get("kind"))) {
                containers(doc).forEach(c -> images.put("k8s " + name(doc) + " " + c.get("name"), String.valueOf(c.get("image"))));
            }
        }
        Map<String, Object> kustomization = kustomization();
        for (Object override : list(kustomization.get("images"))) {
            Map<String, Object> o = map(override);
            images.put("kustomization.yaml " + o.get("name"),
                    o.getOrDefault("newName", o.get("name")) + (o.containsKey("digest") ? "@" + o.get("digest") : ":" + o.get("newTag")));
        }

        assertThat(images).as("images found").hasSizeGreaterThanOrEqualTo(10);
        Map<String, String> floating = images.entrySet().stream().filter(e -> !pinned(e.getValue()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(floating).as("images without a pinned tag (or with :latest)").isEmpty();
    }

    static boolean pinned(String image) {
        if (image.contains("@sha256:")) {
            return true;
        }
        int colon = image.lastIndexOf(':');
        if (colon < 0 || colon < image.lastIndexOf('/')) {
            return false;
        }
        String tag = image.substring(colon + 1);
        return !tag.isBlank() && !tag.equalsIgnoreCase("latest") && !tag.contains("$");
    }

    @Test
    void pinnedRejectsFloatingTags() {
        assertThat(pinned("postgres:16.10")).isTrue();
        assertThat(pinned("registry.example:5000/stepwise/planner-service:0.1.0")).isTrue();
        assertThat(pinned("postgres")).isFalse();
        assertThat(pinned("postgres:latest")).isFalse();
        assertThat(pinned("registry.example:5000/stepwise/planner-service")).isFalse();
    }

    // ---------------------------------------------------------------- Kubernetes

    @Test
    void kubernetesManifestsParseAndKustomizationListsThemAll() {
        Map<Path, List<Map<String, Object>>> documents = kubernetesDocuments();
        assertThat(documents).isNotEmpty();
        List<String> problems = new ArrayList<>();
        documents.forEach((file, docs) -> {
            if (docs.isEmpty()) {
                problems.add(file + ": no documents");
            }
            for (Map<String, Object> doc : docs) {
                if (doc.get("apiVersion") == null || doc.get("kind") == null) {
                    problems.add(file + ": a document without apiVersion or kind");
                }
            }
        });
        Set<String> listed = list(kustomization().get("resources")).stream().map(String::valueOf).collect(Collectors.toSet());
        Set<String> present = documents.keySet().stream().map(p -> ROOT.resolve("deploy/k8s").relativize(p).toString())
                .collect(Collectors.toSet());
        assertThat(problems).as("problems in deploy/k8s").isEmpty();
        assertThat(listed).as("kustomization.yaml resources versus the manifests in deploy/k8s").isEqualTo(present);
    }

    @Test
    void kubernetesConfigGivesServicesOnlyVariablesTheyRead() {
        List<Map<String, Object>> docs = kubernetesDocuments().values().stream().flatMap(List::stream).toList();
        Map<String, Map<String, Object>> configMaps = new LinkedHashMap<>();
        docs.stream().filter(d -> "ConfigMap".equals(d.get("kind"))).forEach(d -> configMaps.put(name(d), d));

        List<String> unknown = new ArrayList<>();
        Set<String> usedConfigMaps = new TreeSet<>();
        List<Map<String, Object>> deployments = docs.stream().filter(d -> "Deployment".equals(d.get("kind"))).toList();
        assertThat(deployments).extracting(DeploymentFilesTest::module)
                .containsExactlyInAnyOrder("planner-service", "executor-service");
        for (Map<String, Object> deployment : deployments) {
            String module = module(deployment);
            ServiceConfig config = ServiceConfig.of(ROOT.resolve(module));
            for (Map<String, Object> container : containers(deployment)) {
                for (Object entry : list(container.get("env"))) {
                    String variable = String.valueOf(map(entry).get("name"));
                    if (!config.reads(variable)) {
                        unknown.add(module + " env: " + variable);
                    }
                }
                for (Object source : list(container.get("envFrom"))) {
                    Object ref = map(source).get("configMapRef");
                    if (ref == null) {
                        continue;
                    }
                    String configMap = String.valueOf(map(ref).get("name"));
                    usedConfigMaps.add(configMap);
                    assertThat(configMaps).as(module + " loads ConfigMap " + configMap).containsKey(configMap);
                    for (String variable : map(configMaps.get(configMap).get("data")).keySet()) {
                        if (!config.reads(variable)) {
                            unknown.add(module + " ConfigMap " + configMap + ": " + variable);
                        }
                    }
                }
            }
        }
        assertThat(unknown).as("ConfigMap keys and env entries in deploy/k8s that map to no config key of the service").isEmpty();
        assertThat(usedConfigMaps).as("every ConfigMap is loaded by a Deployment (else its keys are never checked nor used)")
                .isEqualTo(new TreeSet<>(configMaps.keySet()));
    }

    @Test
    void kubernetesDeploymentsProbeHealthAndBoundResources() {
        List<String> problems = new ArrayList<>();
        kubernetesDocuments().values().stream().flatMap(List::stream).filter(d -> "Deployment".equals(d.get("kind")))
                .forEach(deployment -> containers(deployment).forEach(c -> {
                    String where = name(deployment) + "/" + c.get("name");
                    if (!"/q/health/live".equals(probePath(c, "livenessProbe"))) {
                        problems.add(where + ": liveness probe is not /q/health/live");
                    }
                    if (!"/q/health/ready".equals(probePath(c, "readinessProbe"))) {
                        problems.add(where + ": readiness probe is not /q/health/ready");
                    }
                    Map<String, Object> resources = map(c.get("resources"));
                    if (map(resources.get("requests")).isEmpty() || map(resources.get("limits")).isEmpty()) {
                        problems.add(where + ": no resource requests and limits");
                    }
                    boolean passwordFromSecret = list(c.get("env")).stream().map(DeploymentFilesTest::map)
                            .anyMatch(e -> "STEPWISE_DB_PASSWORD".equals(e.get("name"))
                                    && map(map(e.get("valueFrom")).get("secretKeyRef")).get("name") != null);
                    if (!passwordFromSecret) {
                        problems.add(where + ": STEPWISE_DB_PASSWORD does not come from a Secret");
                    }
                }));
        assertThat(problems).isEmpty();
    }

    // ---------------------------------------------------------------- the executor's tools and role

    private static final Path EXECUTOR_DOCKERFILE = ROOT.resolve("executor-service/src/main/docker/Dockerfile.jvm");
    private static final Pattern DOWNLOAD = Pattern.compile("curl -fsSLo (\\S+) \"([^\"]+)\"");

    /**
     * The executor's steps run command-line tools: the programs its default command templates start with (helm,
     * kubectl) and pachctl. Its image must bring each, at a pinned version, and check every download against its
     * vendor's checksum before unpacking it. Every line a Pachyderm plan can move a 1.x cluster to (the latest patch
     * of each 1.x line from 1.7, in the planner's catalog) needs its own pachctl, as does the newest 2.x line.
     */
    @Test
    void theExecutorImageBringsEveryToolItsStepsRunPinnedAndCheckedAgainstItsChecksum() throws IOException {
        String dockerfile = read(EXECUTOR_DOCKERFILE);
        Map<String, String> args = dockerArgs(dockerfile);
        assertThat(args.get("HELM_VERSION")).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(args.get("HELM_SHA256")).matches("[0-9a-f]{64}");
        assertThat(args.get("KUBECTL_VERSION")).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(args.get("KUBECTL_SHA512")).matches("[0-9a-f]{128}");
        Map<String, String> pachctl = new LinkedHashMap<>();
        for (String release : args.get("PACHCTL_RELEASES").trim().split("\\s+")) {
            String[] versionAndSum = release.split("=", 2);
            assertThat(versionAndSum[0]).as("a pachctl version").matches("\\d+\\.\\d+\\.\\d+");
            assertThat(versionAndSum).as("pachctl " + versionAndSum[0] + " has a sha256").hasSize(2);
            assertThat(versionAndSum[1]).as("sha256 of pachctl " + versionAndSum[0]).matches("[0-9a-f]{64}");
            pachctl.put(versionAndSum[0], versionAndSum[1]);
        }

        // every download is checked before it is unpacked
        Matcher download = DOWNLOAD.matcher(dockerfile);
        List<String> downloads = new ArrayList<>();
        while (download.find()) {
            String file = download.group(1);
            downloads.add(download.group(2));
            Matcher check = Pattern.compile("\\$\\{(\\w+)}  " + Pattern.quote(file) + "\" \\| sha(256|512)sum -c -")
                    .matcher(dockerfile);
            assertThat(check.find(download.end())).as("a checksum check of " + file).isTrue();
            int unpacked = dockerfile.indexOf("tar -xzf " + file, download.end());
            assertThat(unpacked).as("unpacking " + file).isPositive();
            assertThat(check.start()).as("the check of " + file + " comes before it is unpacked").isLessThan(unpacked);
        }
        assertThat(downloads).as("downloads, each at a pinned version").hasSize(3)
                .allSatisfy(url -> assertThat(url).startsWith("https://").doesNotContain("latest").contains("${"));

        // the tools the executor's defaults run, each installed on the PATH
        ServiceConfigValues defaults = ServiceConfigValues.of(ROOT.resolve("executor-service"));
        Set<String> tools = new TreeSet<>(List.of("pachctl"));
        for (String key : List.of("stepwise.executor.actuator.command.set-version",
                "stepwise.executor.actuator.command.raft-migration-prepare", "stepwise.executor.pachyderm.helm-upgrade",
                "stepwise.executor.pachyderm.command")) {
            tools.add(defaults.value(key).split("\\s+")[0]);
        }
        assertThat(tools).containsExactlyInAnyOrder("helm", "kubectl", "pachctl");
        for (String tool : tools) {
            assertThat(dockerfile).as(tool + " on the PATH")
                    .containsPattern("(install -m 0755 \\S+ |ln -s \\S+ )/out/usr/local/bin/" + tool + "\\b");
        }
        assertThat(dockerfile).contains("COPY --from=tools /out/ /");
        assertThat(dockerfile).contains("ENV STEPWISE_EXECUTOR_PACHYDERM_VERSIONED_COMMAND=/opt/pachctl/{version}/pachctl")
                .contains("\"/out/opt/pachctl/${version}\"");
        assertThat(ServiceConfig.of(ROOT.resolve("executor-service")).reads("STEPWISE_EXECUTOR_PACHYDERM_VERSIONED_COMMAND"))
                .isTrue();

        // a pachctl for every target of a 1.x migration or upgrade, and for the newest 2.x line
        JsonNode catalog = new ObjectMapper().readTree(ROOT.resolve("planner-service/src/main/resources/catalog/pachyderm.json")
                .toFile());
        Set<String> needed = new TreeSet<>();
        String newestTwo = null;
        for (JsonNode line : catalog.path("lines")) {
            String[] minor = line.path("line").asText().split("\\.");
            String latest = line.path("line").asText() + "." + line.path("latestPatch").asInt();
            if (minor[0].equals("1") && Integer.parseInt(minor[1]) >= 7) {
                needed.add(latest);
            } else if (minor[0].equals("2")) {
                newestTwo = latest;
            }
        }
        needed.add(newestTwo);
        assertThat(pachctl.keySet()).as("pachctl clients in the image").containsAll(needed);
    }

    /** What the executor's Kubernetes actuator does, resource by resource (actuator/KubernetesActuator.java). */
    private static final Map<String, Set<String>> ACTUATOR_CALLS = Map.of(
            // read, JSON-patched (image tag), edited on conflict, deleted with orphan propagation, created again
            "apps/statefulsets", Set.of("get", "patch", "update", "delete", "create"),
            // the saved manifest: created or replaced before the delete, read by a retry, deleted after
            "/configmaps", Set.of("get", "create", "update", "delete"));

    /**
     * The executor gets a Role (and a RoleBinding to its ServiceAccount) in exactly the namespaces its configuration
     * lets it act in, each granting what the actuator does, and nothing cluster-wide: a ClusterRole over every
     * StatefulSet would let a registration naming kube-system reach it.
     */
    @Test
    void theExecutorsRolesGrantWhatItsKubernetesActuatorDoesInTheNamespacesItListsOnly() {
        String actuator = read(ROOT.resolve("executor-service/src/main/java/io/stepwise/executor/actuator/KubernetesActuator.java"));
        assertThat(actuator).contains(".statefulSets()").contains(".configMaps()").contains("createOr(NonDeletingOperation::update)")
                .contains("withPropagationPolicy(DeletionPropagation.ORPHAN).delete()").contains(".patch(").contains(".edit(");
        List<Map<String, Object>> rbac = yamlDocuments(ROOT.resolve("deploy/k8s/executor-rbac.yaml"));
        List<Map<String, Object>> all = kubernetesDocuments().values().stream().flatMap(List::stream).toList();
        assertThat(all).as("cluster-wide grants").noneMatch(d -> String.valueOf(d.get("kind")).startsWith("Cluster"));

        List<Map<String, Object>> roles = rbac.stream().filter(d -> "Role".equals(d.get("kind"))).toList();
        assertThat(roles).isNotEmpty();
        for (Map<String, Object> role : roles) {
            String namespace = namespace(role);
            Map<String, Set<String>> granted = new LinkedHashMap<>();
            list(role.get("rules")).stream().map(DeploymentFilesTest::map)
                    .forEach(rule -> list(rule.get("apiGroups")).forEach(group -> list(rule.get("resources")).forEach(resource ->
                            granted.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>())
                                    .addAll(list(rule.get("verbs")).stream().map(String::valueOf).toList()))));
            ACTUATOR_CALLS.forEach((resource, verbs) -> assertThat(granted.getOrDefault(resource, Set.of()))
                    .as("verbs granted on " + resource + " in " + namespace).containsAll(verbs));
            assertThat(rbac).as("the RoleBinding of the Role in " + namespace)
                    .filteredOn(d -> "RoleBinding".equals(d.get("kind")) && namespace.equals(namespace(d))
                            && name(role).equals(map(d.get("roleRef")).get("name")))
                    .singleElement()
                    .satisfies(binding -> assertThat(list(binding.get("subjects"))).extracting(DeploymentFilesTest::map)
                            .containsExactly(Map.of("kind", "ServiceAccount", "name", "executor-service", "namespace", "stepwise")));
        }
        Set<String> roleNamespaces = roles.stream().map(DeploymentFilesTest::namespace).collect(Collectors.toCollection(TreeSet::new));
        String listed = String.valueOf(map(configMap("executor-config").get("data")).get("STEPWISE_EXECUTOR_KUBERNETES_NAMESPACES"));
        assertThat(new TreeSet<>(Stream.of(listed.split(",")).map(String::trim).toList()))
                .as("STEPWISE_EXECUTOR_KUBERNETES_NAMESPACES versus the namespaces the executor has a Role in")
                .isEqualTo(roleNamespaces);
    }

    // ---------------------------------------------------------------- hardening

    /**
     * Kustomize's "namespace:" would move every object, the executor's Roles in the clusters' namespaces too, into
     * one namespace; so there is none, and every namespaced object names its own.
     */
    @Test
    void everyKubernetesObjectNamesItsNamespaceAndKustomizeMovesNone() {
        assertThat(kustomization()).doesNotContainKey("namespace");
        List<String> without = new ArrayList<>();
        kubernetesDocuments().forEach((file, docs) -> docs.stream().filter(d -> !"Namespace".equals(d.get("kind")))
                .filter(d -> namespace(d) == null).forEach(d -> without.add(file.getFileName() + " " + d.get("kind") + " " + name(d))));
        assertThat(without).as("objects without metadata.namespace").isEmpty();
    }

    @Test
    void podsRunReadOnlyUnprivilegedWithSeccompLimitsAndAWritableTmpOnly() {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> deployment : deployments()) {
            Map<String, Object> pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
            Map<String, Object> podSecurity = map(pod.get("securityContext"));
            String where = name(deployment);
            if (!Boolean.TRUE.equals(podSecurity.get("runAsNonRoot"))) {
                problems.add(where + ": runAsNonRoot is not true");
            }
            if (!"RuntimeDefault".equals(map(podSecurity.get("seccompProfile")).get("type"))) {
                problems.add(where + ": seccompProfile is not RuntimeDefault");
            }
            Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
            list(pod.get("volumes")).stream().map(DeploymentFilesTest::map).forEach(v -> volumes.put(String.valueOf(v.get("name")), v));
            for (Map<String, Object> c : containers(deployment)) {
                String container = where + "/" + c.get("name");
                Map<String, Object> security = map(c.get("securityContext"));
                if (!Boolean.TRUE.equals(security.get("readOnlyRootFilesystem"))) {
                    problems.add(container + ": readOnlyRootFilesystem is not true");
                }
                if (!Boolean.FALSE.equals(security.get("allowPrivilegeEscalation"))) {
                    problems.add(container + ": allowPrivilegeEscalation is not false");
                }
                if (!list(map(security.get("capabilities")).get("drop")).contains("ALL")) {
                    problems.add(container + ": capabilities are not all dropped");
                }
                Map<String, Object> limits = map(map(c.get("resources")).get("limits"));
                if (!limits.containsKey("cpu") || !limits.containsKey("memory")) {
                    problems.add(container + ": no CPU and memory limits");
                }
                boolean tmp = list(c.get("volumeMounts")).stream().map(DeploymentFilesTest::map)
                        .anyMatch(m -> "/tmp".equals(m.get("mountPath"))
                                && volumes.getOrDefault(String.valueOf(m.get("name")), Map.of()).containsKey("emptyDir"));
                if (!tmp) {
                    problems.add(container + ": no emptyDir at /tmp (the root filesystem is read-only)");
                }
                String image = String.valueOf(c.get("image"));
                if (!pinned(image) || image.contains("SNAPSHOT")) {
                    problems.add(container + ": image " + image + " is not a pinned release");
                }
            }
        }
        for (Object override : list(kustomization().get("images"))) {
            String tag = String.valueOf(map(override).get("newTag"));
            if (tag.contains("SNAPSHOT") || tag.equalsIgnoreCase("latest")) {
                problems.add("kustomization.yaml: " + map(override).get("name") + " newTag " + tag + " is not a pinned release");
            }
        }
        Map<String, Object> planner = map(map(map(deployment("planner-service").get("spec")).get("template")).get("spec"));
        if (!Boolean.FALSE.equals(planner.get("automountServiceAccountToken"))) {
            problems.add("planner-service: automountServiceAccountToken is not false (it never calls the Kubernetes API)");
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyDeploymentHasADisruptionBudget() {
        List<Map<String, Object>> budgets = kubernetesDocuments().values().stream().flatMap(List::stream)
                .filter(d -> "PodDisruptionBudget".equals(d.get("kind"))).toList();
        for (Map<String, Object> deployment : deployments()) {
            Object labels = map(map(deployment.get("spec")).get("selector")).get("matchLabels");
            assertThat(budgets).as("a PodDisruptionBudget selecting " + name(deployment))
                    .anySatisfy(pdb -> {
                        assertThat(map(map(pdb.get("spec")).get("selector")).get("matchLabels")).isEqualTo(labels);
                        assertThat(map(pdb.get("spec"))).containsAnyOf(Map.entry("minAvailable", 1), Map.entry("maxUnavailable", 1));
                    });
        }
    }

    /**
     * Everything in the namespace is denied, then each service may reach its database, Kafka and DNS (and what else
     * it needs), never the cloud metadata address; the planner's API takes connections on its port.
     */
    @Test
    void networkPoliciesDenyByDefaultAndOpenWhatEachServiceNeeds() {
        List<Map<String, Object>> policies = kubernetesDocuments().values().stream().flatMap(List::stream)
                .filter(d -> "NetworkPolicy".equals(d.get("kind"))).toList();
        assertThat(policies).as("a default deny of ingress and egress").anySatisfy(p -> {
            Map<String, Object> spec = map(p.get("spec"));
            assertThat(map(spec.get("podSelector"))).isEmpty();
            assertThat(list(spec.get("policyTypes"))).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(spec).doesNotContainKeys("ingress", "egress");
        });
        Map<String, Set<Integer>> egressPorts = new LinkedHashMap<>();
        Map<String, Set<Integer>> ingressPorts = new LinkedHashMap<>();
        for (Map<String, Object> policy : policies) {
            Map<String, Object> spec = map(policy.get("spec"));
            Object app = map(map(spec.get("podSelector")).get("matchLabels")).get("app.kubernetes.io/name");
            if (app == null) {
                continue;
            }
            ports(spec.get("egress"), egressPorts.computeIfAbsent(String.valueOf(app), k -> new TreeSet<>()));
            ports(spec.get("ingress"), ingressPorts.computeIfAbsent(String.valueOf(app), k -> new TreeSet<>()));
            for (Object rule : list(spec.get("egress"))) {
                for (Object peer : list(map(rule).get("to"))) {
                    Map<String, Object> block = map(map(peer).get("ipBlock"));
                    if (!block.isEmpty()) {
                        assertThat(list(block.get("except"))).as("egress of " + app + " to " + block.get("cidr"))
                                .contains("169.254.0.0/16");
                    }
                }
            }
        }
        assertThat(egressPorts.get("planner-service")).as("planner egress ports").contains(53, 5432, 9092, 443);
        assertThat(ingressPorts.get("planner-service")).as("planner ingress ports").containsExactly(8080);
        assertThat(egressPorts.get("executor-service")).as("executor egress ports").contains(53, 5432, 9092, 443, 8080);
        assertThat(ingressPorts.get("executor-service")).as("executor ingress ports").containsExactly(8081);
    }

    private static void ports(Object rules, Set<Integer> into) {
        for (Object rule : list(rules)) {
            for (Object port : list(map(rule).get("ports"))) {
                into.add(((Number) map(port).get("port")).intValue());
            }
        }
    }

    /** The compose stack listens on this machine only and takes the database password from the user's .env. */
    @Test
    void composeBindsToThisMachineAndTakesThePasswordsFromEnv() {
        Map<String, Object> services = map(composeFile().get("services"));
        List<String> problems = new ArrayList<>();
        services.forEach((name, service) -> {
            for (Object port : list(map(service).get("ports"))) {
                if (!String.valueOf(port).startsWith("127.0.0.1:")) {
                    problems.add(name + ": port " + port + " is not bound to 127.0.0.1");
                }
            }
            Object environment = map(service).get("environment");
            if (environment instanceof Map<?, ?> env) {
                env.forEach((key, value) -> {
                    if (String.valueOf(key).endsWith("PASSWORD")
                            && !String.valueOf(value).matches("\\$\\{[A-Z_]+:\\?[^}]+}")) {
                        problems.add(name + ": " + key + " is not taken from .env with ${NAME:?...}");
                    }
                });
            }
        });
        assertThat(problems).isEmpty();
        assertThat(map(map(services.get("postgres")).get("environment"))).containsKey("POSTGRES_PASSWORD");
        assertThat(map(map(services.get("executor")).get("environment"))).containsKey("STEPWISE_DB_PASSWORD");
        assertThat(map(map(services.get("planner")).get("environment"))).containsKey("STEPWISE_DB_PASSWORD");
    }

    /** A deployed service (the prod profile) with the built-in database password refuses to start: each has the check. */
    @Test
    void eachServiceRefusesTheDefaultDatabasePasswordInProduction() {
        for (String module : List.of("planner-service", "executor-service")) {
            String pkg = module.equals("planner-service") ? "planner" : "executor";
            Path check = ROOT.resolve(module + "/src/main/java/io/stepwise/" + pkg + "/config/DefaultPasswordCheck.java");
            assertThat(check).as("the default password check of " + module).exists();
            assertThat(read(check)).contains("StartupEvent").contains("isProfileActive(\"prod\")")
                    .contains("\"stepwise\"").contains("quarkus.datasource.password");
        }
    }

    private static List<Map<String, Object>> deployments() {
        return kubernetesDocuments().values().stream().flatMap(List::stream).filter(d -> "Deployment".equals(d.get("kind")))
                .toList();
    }

    private static Map<String, Object> deployment(String name) {
        return deployments().stream().filter(d -> name.equals(name(d))).findFirst().orElseThrow();
    }

    private static Map<String, Object> configMap(String name) {
        return kubernetesDocuments().values().stream().flatMap(List::stream)
                .filter(d -> "ConfigMap".equals(d.get("kind")) && name.equals(name(d))).findFirst().orElseThrow();
    }

    private static String namespace(Map<String, Object> doc) {
        Object namespace = map(doc.get("metadata")).get("namespace");
        return namespace == null ? null : String.valueOf(namespace);
    }

    /** ARG NAME=value of a Dockerfile, continuation lines joined and quotes dropped. */
    static Map<String, String> dockerArgs(String dockerfile) {
        Map<String, String> args = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^ARG (\\w+)=(\"[^\"]*\"|\\S+)").matcher(dockerfile.replace("\\\n", ""));
        while (m.find()) {
            args.put(m.group(1), m.group(2).replace("\"", ""));
        }
        return args;
    }

    /** The default value of a config key: application.properties, else the @WithDefault of its mapping. */
    record ServiceConfigValues(Properties properties, String mapping) {

        static ServiceConfigValues of(Path module) {
            Properties properties = new Properties();
            try (var reader = new StringReader(read(module.resolve("src/main/resources/application.properties")))) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new ServiceConfigValues(properties,
                    read(module.resolve("src/main/java/io/stepwise/executor/config/ExecutorConfig.java")));
        }

        String value(String key) {
            if (properties.getProperty(key) != null) {
                return properties.getProperty(key);
            }
            // the method of the last segment, after its @WithDefault
            String last = key.substring(key.lastIndexOf('.') + 1);
            String method = Pattern.compile("-(\\w)").matcher(last).replaceAll(r -> r.group(1).toUpperCase(Locale.ROOT));
            Matcher m = Pattern.compile("@WithDefault\\(\"([^\"]*)\"\\)\\s*String\\s+" + method + "\\(").matcher(mapping);
            assertThat(m.find()).as("a default for " + key).isTrue();
            return m.group(1);
        }
    }

    // ---------------------------------------------------------------- config keys

    @Test
    void configKeysComeFromPropertiesExpressionsAndMappings() {
        ServiceConfig planner = ServiceConfig.of(ROOT.resolve("planner-service"));
        assertThat(planner.reads("QUARKUS_HTTP_PORT")).isTrue();                       // application.properties key
        assertThat(planner.reads("STEPWISE_DB_URL")).isTrue();                         // ${STEPWISE_DB_URL:...}
        assertThat(planner.reads("KAFKA_BOOTSTRAP_SERVERS")).isTrue();
        assertThat(planner.reads("STEPWISE_ROLLOUTS_DEFAULT_MAX_PARALLEL")).isTrue();  // @ConfigMapping stepwise.rollouts
        assertThat(planner.reads("STEPWISE_KAFKA_REPLICATION_FACTOR")).isTrue();       // @WithName
        assertThat(planner.reads("STEPWISE_API_MAX_PAGE_SIZE")).isTrue();              // nested group
        assertThat(planner.reads("STEPWISE_ROLLOUTS_DEFAULT_MAX_PARALEL")).isFalse();
        assertThat(planner.reads("STEPWISE_ROLLOUTS")).isFalse();
        assertThat(planner.reads("QUARKUS_DATASOURCE_JDBC_URL_TYPO")).isFalse();
        ServiceConfig executor = ServiceConfig.of(ROOT.resolve("executor-service"));
        assertThat(executor.reads("STEPWISE_EXECUTOR_WEAVIATE_CIRCUIT_BREAKER_FAILURE_RATIO")).isTrue();
        assertThat(executor.reads("STEPWISE_ROLLOUTS_DEFAULT_MAX_PARALLEL")).as("a planner key is not an executor key").isFalse();
    }

    /**
     * The configuration a service reads, in environment-variable form (SmallRye: every character that is not
     * a letter or digit becomes '_', upper case): the keys of its application.properties (default and prod
     * profile), the names its ${...} expressions refer to, and every property of its @ConfigMapping
     * interfaces, walked through their nested groups.
     */
    record ServiceConfig(Set<String> names, Set<String> mapPrefixes) {

        private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\s*\\(\\s*(?:prefix\\s*=\\s*)?\"([^\"]*)\"");
        private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)[^{;]*\\{");
        private static final Pattern METHOD = Pattern.compile(
                "((?:@[\\w.]+(?:\\s*\\([^)]*\\))?\\s*)*)([\\w.]+(?:\\s*<[^;(){}]*>)?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*;");
        private static final Pattern WITH_NAME = Pattern.compile("@WithName\\s*\\(\\s*\"([^\"]*)\"");

        static ServiceConfig of(Path module) {
            Set<String> names = new TreeSet<>();
            Set<String> mapPrefixes = new TreeSet<>();
            Properties properties = new Properties();
            try (var reader = new StringReader(read(module.resolve("src/main/resources/application.properties")))) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            properties.forEach((k, v) -> {
                String key = String.valueOf(k);
                if (key.startsWith("%prod.")) {
                    key = key.substring("%prod.".length());
                } else if (key.startsWith("%")) {
                    return; // other profiles do not apply to a deployed service
                }
                names.add(env(key));
                Matcher reference = ENV_REFERENCE.matcher(String.valueOf(v));
                while (reference.find()) {
                    names.add(env(reference.group(1)));
                }
            });
            try (Stream<Path> sources = Files.walk(module.resolve("src/main/java"))) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String java = stripComments(read(source));
                    Matcher mapping = MAPPING.matcher(java);
                    if (mapping.find()) {
                        Map<String, String> bodies = interfaceBodies(java);
                        Matcher root = INTERFACE.matcher(java);
                        assertThat(root.find(mapping.end())).as("interface after @ConfigMapping in " + source).isTrue();
                        collect(mapping.group(1), root.group(1), bodies, names, mapPrefixes);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new ServiceConfig(names, mapPrefixes);
        }

        boolean reads(String variable) {
            return names.contains(variable) || mapPrefixes.stream().anyMatch(p -> variable.startsWith(p + "_"));
        }

        private static void collect(String prefix, String type, Map<String, String> bodies, Set<String> names, Set<String> maps) {
            Matcher method = METHOD.matcher(bodies.get(type));
            while (method.find()) {
                Matcher withName = WITH_NAME.matcher(method.group(1));
                String segment = withName.find() ? withName.group(1)
                        : method.group(1).contains("@WithParentName") ? "" : kebab(method.group(3));
                String property = segment.isEmpty() ? prefix : prefix + "." + segment;
                String returned = method.group(2).replaceAll("\\s", "");
                String element = returned.startsWith("Optional<") ? returned.substring(9, returned.length() - 1) : returned;
                if (bodies.containsKey(element)) {
                    collect(property, element, bodies, names, maps);
                } else if (element.startsWith("Map<")) {
                    maps.add(env(property));
                } else {
                    names.add(env(property));
                }
            }
        }

        /** Each interface's own declarations: its body with nested bodies (interfaces, default methods) left out. */
        private static Map<String, String> interfaceBodies(String java) {
            Map<String, String> bodies = new LinkedHashMap<>();
            Matcher m = INTERFACE.matcher(java);
            while (m.find()) {
                int depth = 0;
                StringBuilder own = new StringBuilder();
                for (int i = m.end(); i < java.length(); i++) {
                    char c = java.charAt(i);
                    if (c == '{') {
                        depth++;
                    } else if (c == '}') {
                        if (depth == 0) {
                            break;
                        }
                        depth--;
                    } else if (depth == 0) {
                        own.append(c);
                    }
                }
                bodies.put(m.group(1), own.toString());
            }
            return bodies;
        }

        private static String kebab(String camel) {
            return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("([A-Z])([A-Z][a-z])", "$1-$2").toLowerCase(Locale.ROOT);
        }
    }

    static String env(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- Grafana

    @Test
    void grafanaDashboardReadsExactlyTheDocumentedMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(ROOT.resolve("deploy/grafana/stepwise-dashboard.json").toFile());
        assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(6);

        Set<String> used = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("datasource").path("type").asText()).as("datasource of " + panel.path("title")).isEqualTo("prometheus");
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC_NAME.matcher(target.path("expr").asText());
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        // The contract: the first column of the table in deploy/grafana/README.md.
        Set<String> documented = read(ROOT.resolve("deploy/grafana/README.md")).lines()
                .filter(l -> l.startsWith("| `"))
                .map(l -> l.substring(3, l.indexOf('`', 3)))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented).contains("stepwise_steps_dispatched_total", "stepwise_steps_finished_total",
                "stepwise_step_duration_seconds_bucket", "stepwise_clusters_running", "stepwise_outbox_unsent",
                "kafka_consumer_fetch_manager_records_lag_max");
        assertThat(used).as("metrics the dashboard reads versus those deploy/grafana/README.md promises").isEqualTo(documented);
    }

    // ---------------------------------------------------------------- AsyncAPI

    @Test
    void asyncApiNamesEveryTopicWithPayloadsMatchingTheRecords() {
        Map<String, Object> doc = yamlDocuments(ROOT.resolve("docs/asyncapi.yaml")).get(0);
        assertThat(String.valueOf(doc.get("asyncapi"))).startsWith("3.");

        Map<String, String> topics = stringConstants(MODEL.resolve("Topics.java"));
        Map<String, List<String>> recordsOfTopic = Map.of(
                topics.get("STEPS"), List.of("ProbeRequested", "StepCancel", "StepRequested"),
                topics.get("STEP_STATUS"), List.of("ProbeResult", "StepStatus"),
                topics.get("ROLLOUTS"), List.of("LifecycleEvent"));

        Map<String, Set<String>> payloadsByAddress = new LinkedHashMap<>();
        map(doc.get("channels")).values().forEach(channel -> {
            Map<String, Object> c = map(channel);
            Set<String> payloads = new TreeSet<>();
            map(c.get("messages")).values().forEach(message -> {
                Object payload = map(resolve(doc, message)).get("payload");
                if (payload instanceof Map<?, ?> p && p.get("$ref") != null) {
                    String ref = String.valueOf(p.get("$ref"));
                    payloads.add(ref.substring(ref.lastIndexOf('/') + 1));
                }
            });
            payloadsByAddress.put(String.valueOf(c.get("address")), payloads);
        });
        assertThat(payloadsByAddress).containsKeys(topics.get("STEPS"), topics.get("STEP_STATUS"), topics.get("ROLLOUTS"),
                topics.get("STEP_STATUS") + ".dlq");
        recordsOfTopic.forEach((topic, records) ->
                assertThat(payloadsByAddress.get(topic)).as("payloads on " + topic).containsExactlyElementsOf(records));

        Map<String, Object> schemas = map(map(doc.get("components")).get("schemas"));
        for (String record : List.of("StepRequested", "StepStatus", "StepCancel", "ProbeRequested", "ProbeResult",
                "LifecycleEvent", "ClusterConnection")) {
            Map<String, Object> schema = map(resolve(doc, schemas.get(record)));
            assertThat(map(schema.get("properties")).keySet()).as("properties of schema " + record + " versus the record's components")
                    .containsExactlyInAnyOrderElementsOf(recordComponents(MODEL.resolve(record + ".java"), record));
            assertThat(list(schema.get("required"))).as("required fields of " + record)
                    .allSatisfy(field -> assertThat(map(schema.get("properties"))).containsKey(String.valueOf(field)));
        }
        assertThat(map(map(schemas.get("Preflight")).get("properties")).keySet()).as("properties of schema Preflight")
                .containsExactlyInAnyOrderElementsOf(recordComponents(MODEL.resolve("StepRequested.java"), "Preflight"));
        assertThat(list(map(schemas.get("StepKind")).get("enum"))).as("StepKind values")
                .containsExactlyElementsOf(enumConstants(MODEL.resolve("StepKind.java"), "StepKind"));
        assertThat(list(map(schemas.get("StepState")).get("enum"))).as("StepState values")
                .containsExactlyElementsOf(enumConstants(MODEL.resolve("StepState.java"), "StepState"));

        Set<String> headers = stringConstants(MODEL.resolve("CloudEventHeaders.java")).values().stream()
                .filter(v -> v.startsWith("ce_") || v.equals("content-type")).collect(Collectors.toSet());
        assertThat(headers).hasSize(7);
        assertThat(map(map(schemas.get("CloudEventHeaders")).get("properties")).keySet())
                .as("CloudEvents binary-mode headers").containsExactlyInAnyOrderElementsOf(headers);
    }

    /** Follows local $ref pointers ("#/components/messages/X") until a node that is not a reference. */
    private static Object resolve(Map<String, Object> doc, Object node) {
        int hops = 0;
        while (node instanceof Map<?, ?> m && m.get("$ref") != null) {
            String ref = String.valueOf(m.get("$ref"));
            assertThat(ref).startsWith("#/");
            Object target = doc;
            for (String part : ref.substring(2).split("/")) {
                target = map(target).get(part);
                assertThat(target).as("target of " + ref).isNotNull();
            }
            node = target;
            assertThat(++hops).as("$ref chain from " + ref).isLessThan(10);
        }
        return node;
    }

    // ---------------------------------------------------------------- Java sources of common-model

    static List<String> recordComponents(Path source, String record) {
        String java = stripComments(read(source)).replaceAll("@[\\w.]+(\\s*\\([^)]*\\))?", " ");
        Matcher m = Pattern.compile("\\brecord\\s+" + record + "\\s*\\(([^)]*)\\)").matcher(java);
        assertThat(m.find()).as("record " + record + " in " + source).isTrue();
        List<String> names = new ArrayList<>();
        int depth = 0;
        StringBuilder component = new StringBuilder();
        for (char c : (m.group(1) + ",").toCharArray()) {
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                String[] words = component.toString().trim().split("\\s+");
                names.add(words[words.length - 1]);
                component.setLength(0);
            } else {
                component.append(c);
            }
        }
        return names;
    }

    static List<String> enumConstants(Path source, String type) {
        String java = stripComments(read(source));
        Matcher m = Pattern.compile("\\benum\\s+" + type + "\\s*\\{([^;}]*)").matcher(java);
        assertThat(m.find()).as("enum " + type + " in " + source).isTrue();
        return Stream.of(m.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.split("[\\s(]")[0]).toList();
    }

    static Map<String, String> stringConstants(Path source) {
        Map<String, String> constants = new LinkedHashMap<>();
        Matcher m = Pattern.compile("static\\s+final\\s+String\\s+(\\w+)\\s*=\\s*\"([^\"]*)\"").matcher(read(source));
        while (m.find()) {
            constants.put(m.group(1), m.group(2));
        }
        return constants;
    }

    /** Removes // and block comments, leaving string and char literals alone. */
    static String stripComments(String java) {
        StringBuilder out = new StringBuilder(java.length());
        for (int i = 0; i < java.length(); i++) {
            char c = java.charAt(i);
            if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < java.length() && java.charAt(end) != c) {
                    end += java.charAt(end) == '\\' ? 2 : 1;
                }
                out.append(java, i, Math.min(end + 1, java.length()));
                i = end;
            } else if (java.startsWith("//", i)) {
                i = java.indexOf('\n', i) < 0 ? java.length() : java.indexOf('\n', i) - 1;
            } else if (java.startsWith("/*", i)) {
                i = java.indexOf("*/", i + 2) + 1;
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- files

    private static Map<String, Object> composeFile() {
        List<Map<String, Object>> docs = yamlDocuments(ROOT.resolve("docker-compose.yml"));
        assertThat(docs).hasSize(1);
        return docs.get(0);
    }

    /** Compose services built from a module of this repository: service name to module directory name. */
    private static Map<String, String> stepwiseServicesInCompose() {
        Map<String, String> modules = new LinkedHashMap<>();
        map(composeFile().get("services")).forEach((name, service) -> {
            Object build = map(service).get("build");
            if (build != null) {
                Path context = ROOT.resolve(String.valueOf(map(build).get("context"))).normalize();
                assertThat(context.resolve("src/main/resources/application.properties"))
                        .as("build context of " + name + " is a service module").exists();
                modules.put(name, context.getFileName().toString());
            }
        });
        return modules;
    }

    private static Set<String> environmentNames(Object environment) {
        if (environment == null) {
            return Set.of();
        }
        if (environment instanceof Map<?, ?> m) {
            return m.keySet().stream().map(String::valueOf).collect(Collectors.toCollection(LinkedHashSet::new));
        }
        return list(environment).stream().map(e -> String.valueOf(e).split("=", 2)[0])
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static Map<Path, List<Map<String, Object>>> kubernetesDocuments() {
        Map<Path, List<Map<String, Object>>> documents = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("deploy/k8s"))) {
            files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.getFileName().toString().startsWith("kustomization.")).sorted()
                    .forEach(p -> documents.put(p, yamlDocuments(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    private static Map<String, Object> kustomization() {
        return yamlDocuments(ROOT.resolve("deploy/k8s/kustomization.yaml")).get(0);
    }

    private static List<Map<String, Object>> yamlDocuments(Path file) {
        assertThat(file).exists();
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(read(file))) {
            if (doc != null) {
                assertThat(doc).as("a document of " + file).isInstanceOf(Map.class);
                docs.add(map(doc));
            }
        }
        return docs;
    }

    private static List<Map<String, Object>> containers(Map<String, Object> deployment) {
        return list(map(map(map(deployment.get("spec")).get("template")).get("spec")).get("containers")).stream()
                .map(DeploymentFilesTest::map).toList();
    }

    /** The module a Deployment runs, from its app.kubernetes.io/name label. */
    private static String module(Map<String, Object> deployment) {
        String module = String.valueOf(map(map(deployment.get("metadata")).get("labels")).get("app.kubernetes.io/name"));
        assertThat(ROOT.resolve(module).resolve("src/main/resources/application.properties"))
                .as("app.kubernetes.io/name of Deployment " + name(deployment) + " names a service module").exists();
        return module;
    }

    private static String name(Map<String, Object> doc) {
        return String.valueOf(map(doc.get("metadata")).get("name"));
    }

    private static Object probePath(Map<String, Object> container, String probe) {
        return map(map(container.get(probe)).get("httpGet")).get("path");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        return node == null ? List.of() : (List<Object>) node;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
