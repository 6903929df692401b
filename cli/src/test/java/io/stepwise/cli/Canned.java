package io.stepwise.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The planner's answers in the shapes of its REST API (planner-service's RolloutView, PreviewResponse, PageView,
 * ClusterView, AuditView, Problem; the examples of its ApiExamples), for the canned planner.
 */
final class Canned {

    static final String ID = "5b1f0a3e-2c4d-4e8f-9a61-7d3c2b1e0f45";

    private Canned() {
    }

    /** RolloutView.StepProgress. */
    static ObjectNode step(int seq, String kind, String toVersion, String rule, String state, String message,
                           String error) {
        ObjectNode s = Json.object().put("seq", seq).put("kind", kind).put("toVersion", toVersion).put("rule", rule);
        s.putNull("segment");
        s.put("state", state).put("attempts", state.equals("PENDING") ? 0 : 1);
        s.put("startedAt", state.equals("PENDING") ? null : "2025-06-02T09:14:03.702Z");
        s.put("finishedAt", state.equals("SUCCEEDED") || state.equals("FAILED") ? "2025-06-02T09:14:05.118Z" : null);
        s.put("message", message).put("error", error).put("errorCode", (String) null);
        return s;
    }

    /** A Weaviate cluster's three steps, the first {@code done} of them SUCCEEDED and the next in {@code next}. */
    static ObjectNode cluster(String id, String state, int done, String next, String message, String error) {
        String[][] plan = {{"BACKUP", null, "W3"}, {"UPGRADE", "1.30.23", "W2"}, {"VERIFY", "1.30.23", "W8"}};
        ArrayNode steps = Json.MAPPER.createArrayNode();
        for (int i = 0; i < plan.length; i++) {
            String stepState = i < done ? "SUCCEEDED" : i == done && next != null ? next : "PENDING";
            steps.add(step(i + 1, plan[i][0], plan[i][1], plan[i][2], stepState,
                    i == done ? message : null, i == done ? error : null));
        }
        ObjectNode c = Json.object().put("clusterId", id).put("wave", "all").put("state", state)
                .put("fromVersion", "1.29.3").put("toVersion", "1.30.23")
                .put("currentSeq", state.equals("WAITING") ? 0 : Math.min(done + 1, 3))
                .put("message", "1.29.3 → 1.30.23 in 1 hop via 1.30.23 (3 steps)");
        c.putNull("refusalCode");
        c.put("startedAt", state.equals("WAITING") ? null : "2025-06-02T09:14:03.598Z");
        c.put("finishedAt", RolloutProgress.ENDED.contains(state) ? "2025-06-02T09:14:09.000Z" : null);
        c.set("steps", steps);
        return c;
    }

    /** RolloutView: the rollout with these counts and, unless null, these clusters. */
    static String rollout(String state, boolean finished, Map<String, Integer> counts, ObjectNode... clusters) {
        ObjectNode r = Json.object().put("id", ID).put("state", state).put("product", "weaviate")
                .put("targetVersion", "1.30").put("selector", "fleet=demo").put("maxParallel", 1)
                .put("maxFailedClusters", 1);
        r.put("message", state.equals("FAILED") ? "1 cluster(s) failed: the failure policy allows 1" : null);
        r.put("createdAt", "2025-06-02T09:14:03.512Z").put("updatedAt", "2025-06-02T09:14:09.000Z");
        r.put("finishedAt", finished ? "2025-06-02T09:15:05.512Z" : null);
        r.set("counts", Json.MAPPER.valueToTree(counts));
        r.put("currentWave", "all");
        ArrayNode waves = r.putArray("waves");
        waves.addObject().put("name", "all").put("pauseAfter", false).set("counts", Json.MAPPER.valueToTree(counts));
        if (clusters != null) {
            ArrayNode list = r.putArray("clusters");
            for (ObjectNode c : clusters) {
                list.add(c);
            }
        }
        return r.toString();
    }

    static Map<String, Integer> counts(Object... stateAndCount) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < stateAndCount.length; i += 2) {
            counts.put((String) stateAndCount[i], (Integer) stateAndCount[i + 1]);
        }
        return counts;
    }

    /** What POST /rollouts?view=summary answers: PENDING while probing, no clusters. */
    static final String STARTED = rollout("PENDING", false, counts("WAITING", 2), (ObjectNode[]) null)
            .replace("\"message\":null", "\"message\":\"probing 2 cluster(s): each is planned from the version it"
                    + " really runs\"");

    /** The watch of a rollout of a and b that succeeds: whole, then a done and b upgrading, then the end. */
    static String[] succeedingWatch() {
        return new String[] {
                rollout("RUNNING", false, counts("RUNNING", 1, "WAITING", 1),
                        cluster("demo-a", "RUNNING", 0, "RUNNING", "backup sw-demo-a-1 is STARTED", null),
                        cluster("demo-b", "WAITING", 0, null, null, null)),
                rollout("RUNNING", false, counts("SUCCEEDED", 1, "RUNNING", 1),
                        cluster("demo-a", "SUCCEEDED", 3, null, null, null),
                        cluster("demo-b", "RUNNING", 1, "RUNNING", "restarting weaviate-0 on 1.30.23", null)),
                rollout("SUCCEEDED", true, counts("SUCCEEDED", 2),
                        cluster("demo-b", "SUCCEEDED", 3, null, null, null))};
    }

    /** The same, but b's upgrade fails and the rollout with it. */
    static String[] failingWatch() {
        String[] events = succeedingWatch();
        events[2] = rollout("FAILED", true, counts("SUCCEEDED", 1, "FAILED", 1),
                cluster("demo-b", "FAILED", 1, "FAILED", "restarting weaviate-0 on 1.30.23",
                        "node weaviate-0 did not become ready on 1.30.23 within 600 s"));
        return events;
    }

    static final String PROBLEM_400 = """
            {"type": "https://stepwise.io/problems/invalid-request", "title": "Invalid request", "status": 400,
             "detail": "product: 'mongodb' is not a product Stepwise knows: weaviate or pachyderm",
             "errors": [{"field": "product", "message": "'mongodb' is not a product Stepwise knows: weaviate or pachyderm"}]}""";

    static final String PROBLEM_400_TWO = """
            {"type": "https://stepwise.io/problems/invalid-request", "title": "Invalid request", "status": 400,
             "detail": "2 fields are invalid: id: 'Prod EU 1' must be 1–63 lower-case letters; nodes: must be between 1 and 1000",
             "errors": [{"field": "id", "message": "'Prod EU 1' must be 1–63 lower-case letters"},
                        {"field": "nodes", "message": "must be between 1 and 1000"}]}""";

    static final String PROBLEM_401 = """
            {"type": "https://stepwise.io/problems/unauthorized", "title": "Unauthorized", "status": 401,
             "detail": "send a bearer token of the configured issuer (Authorization: Bearer <token>); this endpoint needs the role 'operator'"}""";

    static final String PROBLEM_401_REFUSED = """
            {"type": "https://stepwise.io/problems/unauthorized", "title": "Unauthorized", "status": 401,
             "detail": "the bearer token was refused (expired, from another issuer, for another audience, or not signed by the issuer's key); this endpoint needs the role 'operator'"}""";

    static final String PROBLEM_403 = """
            {"type": "https://stepwise.io/problems/forbidden", "title": "Forbidden", "status": 403,
             "detail": "this endpoint needs the role 'operator'; your token has the role(s) viewer"}""";

    static final String PROBLEM_404 = """
            {"type": "https://stepwise.io/problems/not-found", "title": "Not found", "status": 404,
             "detail": "no rollout '5b1f0a3e-2c4d-4e8f-9a61-7d3c2b1e0f45'"}""";

    static final String PROBLEM_409_BUSY = """
            {"type": "https://stepwise.io/problems/conflict", "title": "Clusters busy", "status": 409,
             "detail": "1 selected cluster(s) are held by another unfinished rollout: demo-a (rollout 77aa)",
             "busyClusters": [{"clusterId": "demo-a", "rolloutId": "77aa"}]}""";

    static final String PROBLEM_422 = """
            {"type": "https://stepwise.io/problems/unprocessable", "title": "Idempotency key reused", "status": 422,
             "detail": "the Idempotency-Key 'demo-1' was used with another request"}""";

    static final String PROBLEM_500 = """
            {"type": "about:blank", "title": "Internal error", "status": 500,
             "detail": "the request failed unexpectedly; quote reference 0f7e to an operator"}""";

    /** PreviewResponse, full view. */
    static final String PREVIEW = """
            {"plans": [{"clusterId": "a", "product": "weaviate", "fromVersion": "1.29.3", "toVersion": "1.30.23",
                        "alreadyAtTarget": false, "summary": "1.29.3 → 1.30.23 in 1 hop via 1.30.23 (4 steps)",
                        "path": ["1.30.23"], "stepCount": 4,
                        "steps": [{"seq": 1, "kind": "BACKUP", "toVersion": null, "rule": "W3",
                                   "reason": "Back up the whole cluster on 1.29.3 before changing its version, as the vendor requires.",
                                   "params": {"backupId": "sw-a-9b23d85183-1"}},
                                  {"seq": 2, "kind": "SYNC_CHECK", "toVersion": null, "rule": "W7",
                                   "reason": "Before moving to 1.30.23, wait until all 3 nodes report statistics.",
                                   "params": {"timeoutSeconds": 300, "expectedNodes": 3}},
                                  {"seq": 3, "kind": "UPGRADE", "toVersion": "1.30.23", "rule": "W2",
                                   "reason": "Last hop: upgrade to the target 1.30.23 exactly.", "params": {}},
                                  {"seq": 4, "kind": "VERIFY", "toVersion": "1.30.23", "rule": "W8",
                                   "reason": "Check that all 3 nodes are healthy and report exactly 1.30.23.",
                                   "params": {"expectedNodes": 3}}]},
                       {"clusterId": "c", "product": "weaviate", "fromVersion": "1.30.23", "toVersion": "1.30.23",
                        "alreadyAtTarget": true, "summary": "already at 1.30.23", "path": [], "stepCount": 0,
                        "steps": []}],
             "refusals": [{"clusterId": "b", "code": "PRODUCT_MISMATCH",
                           "message": "cluster b runs pachyderm, but the request upgrades weaviate: plan it with product 'pachyderm' instead"}]}""";

    /** PageView of ClusterView. */
    static final String CLUSTERS = """
            {"items": [{"id": "prod-eu-1", "product": "weaviate", "version": "1.29.3", "nodes": 3, "deployment": "kubernetes",
                        "endpoint": "https://weaviate.prod-eu-1.example", "namespace": "weaviate", "statefulSet": "weaviate",
                        "helmRelease": "weaviate", "credentialsRef": "secret:weaviate-prod-eu-1", "postgresVersion": null,
                        "labels": {"env": "prod", "region": "eu"}, "extra": {},
                        "createdAt": "2025-06-02T09:12:41.207Z", "updatedAt": "2025-06-02T09:12:41.207Z"},
                       {"id": "p-1", "product": "pachyderm", "version": "2.11.2", "nodes": null, "deployment": "command",
                        "endpoint": null, "namespace": null, "statefulSet": null, "helmRelease": null,
                        "credentialsRef": null, "postgresVersion": "15", "labels": {}, "extra": {},
                        "createdAt": "2025-06-02T09:12:41.207Z", "updatedAt": "2025-06-02T09:12:41.207Z"}],
             "page": 0, "size": 2, "total": 3}""";

    /** AuditView list. */
    static final String AUDIT = """
            [{"seq": 1, "at": "2025-06-02T09:14:03.512Z", "actor": "local-operator", "type": "rollout.created",
              "clusterId": null, "stepSeq": null, "details": {"clusters": 2}, "hash": "ab12", "prevHash": null},
             {"seq": 2, "at": "2025-06-02T09:14:05.118Z", "actor": "executor", "type": "step.succeeded",
              "clusterId": "demo-a", "stepSeq": 1, "details": {"message": "backup done"}, "hash": "cd34",
              "prevHash": "ab12"}]""";

    /** RecoveryView of a Weaviate cluster that failed on its second hop: both ways back allowed. */
    static final String RECOVERY = """
            {"rolloutId": "5b1f0a3e-2c4d-4e8f-9a61-7d3c2b1e0f45", "clusterId": "demo-b", "product": "weaviate",
             "version": "1.29.11", "versionBefore": "1.28.5",
             "failedStep": {"seq": 6, "kind": "UPGRADE", "toVersion": "1.30.23", "error": "pods not ready",
                            "errorCode": null},
             "backup": {"seq": 1, "backupId": "sw-demo-b-1a2b3c4d5e-1", "backend": null, "state": "SUCCEEDED",
                        "message": "backup done", "dump": null},
             "rolloutEnded": true,
             "options": [
               {"kind": "DOWNGRADE", "allowed": true, "toVersion": "1.28.5", "rule": "W10",
                "reason": "Go back from 1.29.11 to 1.28.5 one minor at a time (W9).",
                "steps": [{"seq": 1, "kind": "BACKUP", "toVersion": null, "rule": "W3", "reason": "Back up.",
                           "params": {"backupId": "sw-demo-b-9f8e7d6c5b-1"}},
                          {"seq": 2, "kind": "DOWNGRADE", "toVersion": "1.28.5", "rule": "W9", "reason": "Last hop.",
                           "params": {}},
                          {"seq": 3, "kind": "VERIFY", "toVersion": "1.28.5", "rule": "W8", "reason": "Check.",
                           "params": {"expectedNodes": 3}}],
                "start": {"method": "POST", "path": "/api/v1/rollouts",
                          "body": {"product": "weaviate", "targetVersion": "1.28.5", "clusterIds": ["demo-b"]},
                          "note": null}},
               {"kind": "RESTORE_BACKUP", "allowed": false, "toVersion": "1.28.5", "rule": "W4",
                "reason": "restoring a backup on 1.28.5 can store data wrongly", "steps": []}]}""";
}
