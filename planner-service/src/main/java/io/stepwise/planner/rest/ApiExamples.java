package io.stepwise.planner.rest;

/**
 * Request and answer examples of the OpenAPI document (/q/openapi). They are real: ApiExamplesTest sends the
 * requests and compares the answers, so an example that no longer matches the code fails the build.
 */
final class ApiExamples {

    private ApiExamples() {
    }

    static final String PREVIEW_REQUEST = """
            {"product": "weaviate", "targetVersion": "1.30",
             "clusters": [{"id": "a", "version": "1.29.3", "nodes": 3, "deployment": "kubernetes"},
                          {"id": "b", "product": "pachyderm", "version": "2.11.2"}]}""";

    static final String PREVIEW_SELECTOR_REQUEST = """
            {"product": "weaviate", "targetVersion": "latest", "selector": "env=prod,region in (eu,us)"}""";

    /** The answer to {@link #PREVIEW_REQUEST}, exactly. */
    static final String PREVIEW_ANSWER = """
            {"plans": [{"clusterId": "a", "product": "weaviate", "fromVersion": "1.29.3", "toVersion": "1.30.23",
                        "alreadyAtTarget": false, "summary": "1.29.3 → 1.30.23 in 1 hop via 1.30.23 (4 steps)",
                        "path": ["1.30.23"], "stepCount": 4,
                        "steps": [{"seq": 1, "kind": "BACKUP", "toVersion": null, "rule": "W3",
                                   "reason": "Back up the whole cluster on 1.29.3 before changing its version, as the vendor requires.",
                                   "params": {"backupId": "sw-a-9b23d85183-1"}},
                                  {"seq": 2, "kind": "SYNC_CHECK", "toVersion": null, "rule": "W7",
                                   "reason": "Before moving to 1.30.23, wait until all 3 nodes report statistics and the metadata is synchronized (vendor's wait_for_raft_sync).",
                                   "params": {"timeoutSeconds": 300, "expectedNodes": 3}},
                                  {"seq": 3, "kind": "UPGRADE", "toVersion": "1.30.23", "rule": "W2",
                                   "reason": "Last hop: upgrade to the target 1.30.23 exactly.", "params": {}},
                                  {"seq": 4, "kind": "VERIFY", "toVersion": "1.30.23", "rule": "W8",
                                   "reason": "Check that all 3 nodes are healthy and report exactly 1.30.23.",
                                   "params": {"expectedNodes": 3}}]}],
             "refusals": [{"clusterId": "b", "code": "PRODUCT_MISMATCH",
                           "message": "cluster b runs pachyderm, but the request upgrades weaviate: plan it with product 'pachyderm' instead"}]}""";

    /** The answer to {@link #PREVIEW_REQUEST} with {@code ?view=summary}: no steps, path and count only. */
    static final String PREVIEW_SUMMARY_ANSWER = """
            {"plans": [{"clusterId": "a", "product": "weaviate", "fromVersion": "1.29.3", "toVersion": "1.30.23",
                        "alreadyAtTarget": false, "summary": "1.29.3 → 1.30.23 in 1 hop via 1.30.23 (4 steps)",
                        "path": ["1.30.23"], "stepCount": 4}],
             "refusals": [{"clusterId": "b", "code": "PRODUCT_MISMATCH",
                           "message": "cluster b runs pachyderm, but the request upgrades weaviate: plan it with product 'pachyderm' instead"}]}""";

    /** The answer to {@link #PREVIEW_REQUEST} with {@code "nodes": 0} for cluster a. */
    static final String PREVIEW_INVALID = """
            {"type": "https://stepwise.io/problems/invalid-request", "title": "Invalid request", "status": 400,
             "detail": "clusters[0].nodes: must be 1 or more",
             "errors": [{"field": "clusters[0].nodes", "message": "must be 1 or more"}]}""";

    static final String CLUSTER_REQUEST = """
            {"id": "prod-eu-1", "product": "weaviate", "version": "1.29.3", "nodes": 3, "deployment": "kubernetes",
             "endpoint": "https://weaviate.prod-eu-1.example", "namespace": "weaviate", "statefulSet": "weaviate",
             "helmRelease": "weaviate", "credentialsRef": "secret:weaviate-prod-eu-1",
             "labels": {"env": "prod", "region": "eu"},
             "windows": [{"days": ["SATURDAY", "SUNDAY"], "start": "22:00", "duration": "PT6H",
                          "timeZone": "Europe/Berlin"}]}""";

    static final String CLUSTER = """
            {"id": "prod-eu-1", "product": "weaviate", "version": "1.29.3", "nodes": 3, "deployment": "kubernetes",
             "endpoint": "https://weaviate.prod-eu-1.example", "namespace": "weaviate", "statefulSet": "weaviate",
             "helmRelease": "weaviate", "credentialsRef": "secret:weaviate-prod-eu-1", "postgresVersion": null,
             "labels": {"env": "prod", "region": "eu"}, "extra": {},
             "createdAt": "2025-06-02T09:12:41.207Z", "updatedAt": "2025-06-02T09:12:41.207Z", "holdReason": null,
             "heldBy": null, "heldAt": null,
             "windows": [{"days": ["SATURDAY", "SUNDAY"], "start": "22:00", "duration": "PT6H",
                          "timeZone": "Europe/Berlin"}]}""";

    static final String CLUSTER_INVALID = """
            {"type": "https://stepwise.io/problems/invalid-request", "title": "Invalid request", "status": 400,
             "detail": "2 fields are invalid: id: 'Prod EU 1' must be 1–63 lower-case letters, digits or '-', starting with a letter or digit; nodes: must be between 1 and 1000",
             "errors": [{"field": "id", "message": "'Prod EU 1' must be 1–63 lower-case letters, digits or '-', starting with a letter or digit"},
                        {"field": "nodes", "message": "must be between 1 and 1000"}]}""";

    static final String ROLLOUT_REQUEST = """
            {"product": "weaviate", "targetVersion": "1.30", "clusterIds": ["prod-eu-1"],
             "strategy": {"maxParallel": 10, "failurePolicy": {"maxFailedClusters": 1}}}""";

    /** Canary first, then pause; the clusters no wave names follow as wave "remaining" after a resume. */
    static final String ROLLOUT_SELECTOR_REQUEST = """
            {"product": "weaviate", "targetVersion": "1.30", "selector": "env=prod,region=eu",
             "strategy": {"maxParallel": 10,
                          "waves": [{"name": "canary", "selector": "ring=canary", "pauseAfter": true},
                                    {"name": "eu-west", "selector": "zone=eu-west", "maxParallel": "25%",
                                     "maxFailed": "1", "waitAfter": "PT24H"}],
                          "gates": [{"when": "after", "wave": "canary", "role": "approver"}]}}""";

    /**
     * A rollout just accepted: PENDING while the executor reads what its cluster really runs; it is planned from that
     * and starts within seconds.
     */
    static final String ROLLOUT_STARTED = """
            {"id": "5b1f0a3e-2c4d-4e8f-9a61-7d3c2b1e0f45", "state": "PENDING", "product": "weaviate",
             "targetVersion": "1.30", "selector": null, "maxParallel": 10, "maxFailedClusters": 1,
             "message": "probing 1 cluster(s): each is planned from the version it really runs",
             "createdAt": "2025-06-02T09:14:03.512Z", "updatedAt": "2025-06-02T09:14:03.512Z", "finishedAt": null,
             "counts": {"WAITING": 1}, "currentWave": "all",
             "waves": [{"name": "all", "pauseAfter": false, "counts": {"WAITING": 1}, "maxParallel": null, "maxFailed": null,
                         "waitAfter": null}],
             "startAt": null, "waitingFor": null, "pendingGate": null, "gateRole": null, "waitUntil": null, "gates": [],
             "followSelector": false, "strategyName": null,
             "clusters": [{"clusterId": "prod-eu-1", "wave": "all", "state": "WAITING", "fromVersion": "1.29.3", "toVersion": null,
                           "currentSeq": 0, "message": "reading the version it runs before planning",
                           "refusalCode": null, "startedAt": null, "finishedAt": null, "steps": []}]}""";

    /** The same rollout a few minutes later: backed up, synchronized, upgrading. */
    static final String ROLLOUT_RUNNING = """
            {"id": "5b1f0a3e-2c4d-4e8f-9a61-7d3c2b1e0f45", "state": "RUNNING", "product": "weaviate",
             "targetVersion": "1.30", "selector": null, "maxParallel": 10, "maxFailedClusters": 1, "message": null,
             "createdAt": "2025-06-02T09:14:03.512Z", "updatedAt": "2025-06-02T09:14:03.512Z", "finishedAt": null,
             "counts": {"RUNNING": 1}, "currentWave": "all",
             "waves": [{"name": "all", "pauseAfter": false, "counts": {"RUNNING": 1}, "maxParallel": null, "maxFailed": null,
                         "waitAfter": null}],
             "startAt": null, "waitingFor": null, "pendingGate": null, "gateRole": null, "waitUntil": null, "gates": [],
             "followSelector": false, "strategyName": null,
             "clusters": [{"clusterId": "prod-eu-1", "wave": "all", "state": "RUNNING", "fromVersion": "1.29.3", "toVersion": "1.30.23",
                           "currentSeq": 3, "message": "1.29.3 → 1.30.23 in 1 hop via 1.30.23 (4 steps)",
                           "refusalCode": null, "startedAt": "2025-06-02T09:14:03.598Z", "finishedAt": null,
                           "steps": [{"seq": 1, "kind": "BACKUP", "toVersion": null, "rule": "W3", "segment": null, "state": "SUCCEEDED",
                                      "attempts": 1, "startedAt": "2025-06-02T09:14:03.702Z",
                                      "finishedAt": "2025-06-02T09:16:51.118Z",
                                      "message": "backup sw-prod-eu-1-c4e1a07b93-1 on backend s3 is SUCCESS", "error": null, "errorCode": null},
                                     {"seq": 2, "kind": "SYNC_CHECK", "toVersion": null, "rule": "W7", "segment": null, "state": "SUCCEEDED",
                                      "attempts": 1, "startedAt": "2025-06-02T09:16:51.240Z",
                                      "finishedAt": "2025-06-02T09:16:52.003Z",
                                      "message": "Raft metadata synchronized on all 3 nodes", "error": null, "errorCode": null},
                                     {"seq": 3, "kind": "UPGRADE", "toVersion": "1.30.23", "rule": "W2", "segment": null, "state": "RUNNING",
                                      "attempts": 1, "startedAt": "2025-06-02T09:16:52.131Z", "finishedAt": null,
                                      "message": "upgrade of 3 nodes to 1.30.23 through the kubernetes actuator",
                                      "error": null, "errorCode": null},
                                     {"seq": 4, "kind": "VERIFY", "toVersion": "1.30.23", "rule": "W8", "segment": null, "state": "PENDING",
                                      "attempts": 0, "startedAt": null, "finishedAt": null, "message": null, "error": null, "errorCode": null}]}]}""";

    /** The answer to {@link #ROLLOUT_REQUEST} with {@code "maxParallel": 0}. */
    static final String ROLLOUT_INVALID = """
            {"type": "https://stepwise.io/problems/invalid-request", "title": "Invalid request", "status": 400,
             "detail": "strategy.maxParallel: must be between 1 and 10000",
             "errors": [{"field": "strategy.maxParallel", "message": "must be between 1 and 10000"}]}""";

    static final String ROLLOUT_NOT_FOUND = """
            {"type": "https://stepwise.io/problems/not-found", "title": "Not found", "status": 404,
             "detail": "no rollout '5b1f0a3e-2c4d-4e8f-9a61-7d3c2b1e0f45'"}""";
}
