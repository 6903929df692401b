package io.stepwise.executor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What handlers and actuators need beyond the step ({@code stepwise.executor.*}, executor-service/README.md). */
@ConfigMapping(prefix = "stepwise.executor")
public interface ExecutorConfig {

    /** Steps run at once; a running step mostly waits, so size it for a rollout's maxParallel, not for cores. */
    @WithDefault("128")
    int workers();

    /** A running step's progress is published at most this often: a burst of messages would only cost commits. */
    @WithDefault("PT1S")
    Duration progressInterval();

    /**
     * A running attempt reports progress at least this often, repeating its latest message when it has no news, so
     * that the planner can time a step out on silence rather than on how long it has run.
     */
    @WithDefault("30s")
    Duration heartbeatInterval();

    /**
     * This executor's name as the owner of the attempts it runs, unique among the executors sharing the ledger;
     * unset, the host name and a random suffix (so a restarted executor is a new owner).
     */
    Optional<String> instanceId();

    /**
     * How long an attempt, and the guard of its cluster, stay this executor's without renewal: renewed every third of
     * it (one statement per executor), taken over by another executor once it has expired.
     */
    @WithDefault("60s")
    Duration leaseDuration();

    /** How often attempts whose owner's lease expired are taken over, and those waiting for their cluster's guard try again. */
    @WithDefault("5s")
    Duration sweepInterval();

    /**
     * The secrets clusters may name as {@code credentialsRef: secret:<name>}, each with the clusters bound to it
     * ({@link SecretResolver} reads them by name, so that their environment form, such as
     * {@code STEPWISE_EXECUTOR_SECRETS__PROD_EU_1__VALUE}, works for names with dashes and dots).
     */
    Map<String, Secret> secrets();

    /** One secret of the store. */
    interface Secret {

        /** The secret itself; unset, the file of that name in {@link #secretsDirectory()}. */
        Optional<String> value();

        /** Cluster-id patterns ({@code *} wildcards) that may use it. */
        Optional<List<String>> clusters();

        /** A label selector over the cluster's labels; with {@link #clusters()}, both must match. */
        Optional<String> selector();
    }

    /**
     * A directory of secret files (a mounted Kubernetes Secret): {@code credentialsRef: secret:<name>} reads the file
     * {@code <name>} there when no {@code stepwise.executor.secrets."<name>".value} is configured. Unset: values only.
     */
    Optional<String> secretsDirectory();

    /**
     * Hosts a cluster endpoint may name over plain http (or grpc), and the only way to reach loopback, link-local and
     * cloud metadata addresses at all: host patterns ({@code *.svc.cluster.local}) and CIDRs ({@code 10.0.0.0/8}).
     * Unset: https only, and never those addresses.
     */
    Optional<List<String>> allowedEndpoints();

    KubernetesAccess kubernetes();

    Command command();

    Weaviate weaviate();

    Actuator actuator();

    Pachyderm pachyderm();

    Artifacts artifacts();

    /** Where on Kubernetes the executor may act at all. */
    interface KubernetesAccess {

        /**
         * The namespaces whose StatefulSets (and helm releases, kubectl targets) the executor may change; a step naming
         * any other fails before any call. Unset: none, so a Kubernetes step fails until the operator lists them (the
         * same list as the namespaces deploy/k8s grants a Role in).
         */
        Optional<List<String>> namespaces();
    }

    /** What command templates may pass to the processes they start. */
    interface Command {

        /**
         * Names a cluster's {@code extra} may set as {@code env.NAME} for its commands; any other name fails the step
         * before anything runs. Unset: none. The processes never see the executor's own environment, only PATH, HOME,
         * the Kubernetes service address and these.
         */
        Optional<List<String>> allowedEnv();
    }

    /** Files steps write that later steps need (Pachyderm dumps). */
    interface Artifacts {

        /**
         * Where they go: a directory that survives a restart of the executor and that every executor sharing the
         * ledger can read (a shared volume), since another one may run the step that needs the file. Unset, steps
         * that write one (Pachyderm BACKUP of 1.x, EXTRACT) fail naming this setting.
         */
        Optional<String> directory();
    }

    interface Weaviate {

        @WithDefault("5s")
        Duration connectTimeout();

        @WithDefault("15s")
        Duration requestTimeout();

        @WithDefault("3")
        int maxRetries();

        @WithDefault("500ms")
        Duration retryDelay();

        CircuitBreaker circuitBreaker();

        @WithDefault("s3")
        String backupBackend();

        @WithDefault("2s")
        Duration backupPollInterval();

        @WithDefault("6h")
        Duration backupTimeout();

        @WithDefault("6h")
        Duration restoreTimeout();

        /**
         * Whether a backup may go to Weaviate's {@code filesystem} backend, which lives on the cluster's own disks: only
         * ever for a single-node cluster (Weaviate does not support it for more), and only when this says so.
         */
        @WithDefault("false")
        boolean allowFilesystemBackup();

        /** Whether RESTORE may delete existing collections the backup holds (else it refuses, naming them). */
        @WithDefault("true")
        boolean restoreDeletesExistingCollections();

        /** As the vendor's wait_for_raft_sync: every 2 s, for up to 300 s. */
        @WithDefault("2s")
        Duration syncPollInterval();

        @WithDefault("300s")
        Duration syncTimeout();

        @WithDefault("5s")
        Duration nodesPollInterval();

        @WithDefault("30m")
        Duration rolloutTimeout();

        @WithDefault("60s")
        Duration verifyTimeout();

        /**
         * The GraphQL query every VERIFY runs (POST /v1/graphql) when the cluster's {@code extra.sampleQuery} names
         * none: it must answer without errors, and a Get must find objects. Unset: no query.
         */
        Optional<String> sampleQuery();
    }

    interface CircuitBreaker {
        @WithDefault("10")
        int requestVolumeThreshold();

        @WithDefault("0.5")
        double failureRatio();

        @WithDefault("10s")
        Duration delay();
    }

    interface Actuator {

        Kubernetes kubernetes();

        Commands command();

        Commands docker();

        @WithDefault("15m")
        Duration commandTimeout();
    }

    interface Kubernetes {

        /** The container whose image tag is the version; a StatefulSet with one container needs no match. */
        @WithDefault("weaviate")
        String container();

        @WithDefault("2s")
        Duration pollInterval();

        @WithDefault("30m")
        Duration rolloutTimeout();

        @WithDefault("5m")
        Duration deleteTimeout();

        /** The re-created StatefulSet's policy in RAFT_MIGRATION: all pods start at once, so Raft can bootstrap. */
        @WithDefault("Parallel")
        String raftPodManagementPolicy();
    }

    /** Command templates ({@link io.stepwise.executor.actuator.CommandTemplate} lists the placeholders). */
    interface Commands {

        Optional<String> setVersion();

        /** Runs before setVersion in RAFT_MIGRATION (e.g. delete the StatefulSet keeping its volumes). */
        Optional<String> raftMigrationPrepare();
    }

    interface Pachyderm {

        /** The pachctl command (a template) for steps that keep the version: the cluster's current client. */
        @WithDefault("pachctl")
        String command();

        /** The pachctl of a target version ({@code /opt/pachctl/{version}/pachctl}); unset, {@link #command()}. */
        Optional<String> versionedCommand();

        /** 2.x upgrades are helm upgrades; {@code --reuse-values} re-supplies the values generated at install. */
        @WithDefault("helm upgrade --namespace {namespace} --reuse-values --set pachd.image.tag={version} --wait -- {release} pach/pachyderm")
        String helmUpgrade();

        /** A 2.x backup (pg_dump plus bucket copy), which only the operator can script; {file}: where to write it. */
        Optional<String> v2BackupCommand();

        @WithDefault("local")
        String deployArgs();

        /**
         * The flags a cluster's {@code extra.deployArgs} may give {@code pachctl deploy} (as {@code --flag} or
         * {@code --flag=value}); any other flag fails the step before anything runs. Flags that read local files or
         * change where images come from or where it deploys ({@code --tls}, {@code --registry}, {@code --context}) are
         * not among the defaults.
         */
        @WithDefault("--namespace,--dynamic-etcd-nodes,--static-etcd-volume,--etcd-storage-class,--no-dashboard,"
                + "--no-guaranteed,--no-rbac,--local-roles,--image-pull-secret,--pachd-cpu-request,"
                + "--pachd-memory-request,--etcd-cpu-request,--etcd-memory-request,--block-cache-size,--shards,"
                + "--put-file-concurrency-limit,--upload-concurrency-limit,--log-level")
        List<String> allowedDeployFlags();

        @WithDefault("10m")
        Duration commandTimeout();

        @WithDefault("6h")
        Duration transferTimeout();

        @WithDefault("5m")
        Duration versionTimeout();

        @WithDefault("2s")
        Duration pollInterval();
    }
}
