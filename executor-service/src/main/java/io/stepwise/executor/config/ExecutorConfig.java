package io.stepwise.executor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the drivers, handlers and actuators need to know that is not in the step itself:
 * poll intervals, timeouts, backends, binaries and command templates ({@code stepwise.executor.*}).
 */
@ConfigMapping(prefix = "stepwise.executor")
public interface ExecutorConfig {

    /**
     * Steps run at once by this executor instance; more wait in the ledger, in order of arrival. A running step
     * mostly waits (on a backup, a rolling restart), so this is sized for a rollout's maxParallel, not for cores.
     */
    @WithDefault("128")
    int workers();

    /**
     * Progress of a running step is published at most this often (the latest message wins and is never older
     * than this): people watch a backup for minutes, and a burst of messages per second would only cost commits.
     */
    @WithDefault("PT1S")
    Duration progressInterval();

    Weaviate weaviate();

    Actuator actuator();

    Pachyderm pachyderm();

    interface Weaviate {

        /** Connect timeout of one REST call. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Upper bound of one REST call (read timeout and the fault-tolerance timeout). */
        @WithDefault("15s")
        Duration requestTimeout();

        /** Retries of one REST call after a transient failure (connection refused, 5xx, timeout). */
        @WithDefault("3")
        int maxRetries();

        @WithDefault("500ms")
        Duration retryDelay();

        CircuitBreaker circuitBreaker();

        /** Backup backend module when neither the step ({@code backend}) nor the cluster ({@code extra.backupBackend}) names one. */
        @WithDefault("s3")
        String backupBackend();

        @WithDefault("2s")
        Duration backupPollInterval();

        @WithDefault("6h")
        Duration backupTimeout();

        @WithDefault("6h")
        Duration restoreTimeout();

        /**
         * Whether RESTORE may delete the collections the backup holds when they exist on the cluster
         * (the vendor's restore fails if any of them exist). When false, RESTORE refuses instead.
         */
        @WithDefault("true")
        boolean restoreDeletesExistingCollections();

        /** The vendor's wait_for_raft_sync polls every 2 s. */
        @WithDefault("2s")
        Duration syncPollInterval();

        /** The vendor's wait_for_raft_sync default; a step's {@code timeoutSeconds} overrides it. */
        @WithDefault("300s")
        Duration syncTimeout();

        /** Interval of /v1/nodes polls while waiting for a rollout. */
        @WithDefault("5s")
        Duration nodesPollInterval();

        /** How long UPGRADE, DOWNGRADE and RAFT_MIGRATION wait for every node to be HEALTHY at the target. */
        @WithDefault("30m")
        Duration rolloutTimeout();

        /** How long VERIFY keeps looking before it fails (nodes may still be settling right after a hop). */
        @WithDefault("60s")
        Duration verifyTimeout();
    }

    interface CircuitBreaker {
        @WithDefault("10")
        int requestVolumeThreshold();

        @WithDefault("0.5")
        double failureRatio();

        /** How long an open breaker refuses calls before it lets one through. */
        @WithDefault("10s")
        Duration delay();
    }

    interface Actuator {

        Kubernetes kubernetes();

        /** Templates for clusters with {@code deployment = command} (helm and the like). */
        Commands command();

        /** Templates for clusters with {@code deployment = docker}; Weaviate migrates Raft metadata by itself there. */
        Commands docker();

        /** Upper bound of one actuator command. */
        @WithDefault("15m")
        Duration commandTimeout();
    }

    interface Kubernetes {

        /** The container whose image tag is the Weaviate version; a StatefulSet with one container needs no match. */
        @WithDefault("weaviate")
        String container();

        @WithDefault("2s")
        Duration pollInterval();

        /** How long to wait for a StatefulSet rollout (updated and ready replicas) to finish. */
        @WithDefault("30m")
        Duration rolloutTimeout();

        /** How long to wait for an orphan-deleted StatefulSet to disappear. */
        @WithDefault("5m")
        Duration deleteTimeout();

        /**
         * The podManagementPolicy the re-created StatefulSet gets in RAFT_MIGRATION: chart 17 moved to
         * Parallel so that all pods start at once and Raft can bootstrap.
         */
        @WithDefault("Parallel")
        String raftPodManagementPolicy();
    }

    /**
     * Command templates. Placeholders: {clusterId}, {version}, {release}, {namespace}, {statefulSet},
     * {endpoint}, {stepId}, and {extra.KEY} for the cluster's extra settings. The template is split into
     * arguments on whitespace before substitution, so a value can never become two arguments.
     */
    interface Commands {

        /** Moves the cluster to {version}. */
        Optional<String> setVersion();

        /** Runs before setVersion in RAFT_MIGRATION (e.g. delete the StatefulSet keeping its volumes). */
        Optional<String> raftMigrationPrepare();
    }

    interface Pachyderm {

        /**
         * The pachctl command (a template, split like the actuator templates) for steps that keep the
         * version: the client installed for the cluster's current version.
         */
        @WithDefault("pachctl")
        String command();

        /**
         * The pachctl matching a target version, for DEPLOY, UPGRADE and VERIFY ("update the client"),
         * e.g. {@code /opt/pachctl/{version}/pachctl}. Unset: {@link #command()} is used, and the
         * operator keeps the installed client in step.
         */
        Optional<String> versionedCommand();

        /** 2.x upgrades are helm upgrades; the generated values must be re-supplied (--reuse-values keeps them). */
        @WithDefault("helm upgrade {release} pach/pachyderm --namespace {namespace} --reuse-values --set pachd.image.tag={version} --wait")
        String helmUpgrade();

        /**
         * 2.x has no pachctl extract: a backup is a pg_dump of the pachyderm and dex databases plus a bucket
         * copy, which only the operator can script. Unset: BACKUP on 2.x fails saying so.
         * Extra placeholder: {file}, where the backup should be written.
         */
        Optional<String> v2BackupCommand();

        /** Arguments of {@code pachctl deploy} when the cluster's {@code extra.deployArgs} gives none. */
        @WithDefault("local")
        String deployArgs();

        /** Upper bound of one pachctl command that talks to the cluster. */
        @WithDefault("10m")
        Duration commandTimeout();

        /** Upper bound of extract and restore, which move all metadata (and objects unless noObjects). */
        @WithDefault("6h")
        Duration transferTimeout();

        /** Where BACKUP and EXTRACT keep their streams: {data-dir}/{clusterId}/{id}.dump. */
        @WithDefault("${java.io.tmpdir}/stepwise/pachyderm")
        String dataDir();

        /** How long DEPLOY, UPGRADE and VERIFY wait for pachd to answer at the version. */
        @WithDefault("5m")
        Duration versionTimeout();

        @WithDefault("2s")
        Duration pollInterval();
    }
}
