package io.stepwise.simulator.weaviate;

import io.stepwise.simulator.core.SimulationContext;
import io.stepwise.simulator.core.SimulatorException;
import io.stepwise.simulator.core.Version;
import io.stepwise.simulator.fault.FaultInjector;
import io.stepwise.simulator.http.Http;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.function.Function;

/**
 * The Weaviate REST API of every simulated cluster, under {@code /clusters/{id}/v1}. Which paths
 * exist, and the shape of their answers, follow the version of the node that answers.
 */
public final class WeaviateRoutes {

    private static final String BASE = "/clusters/:clusterId/v1";
    private static final String CLUSTER = "weaviate.cluster";

    private final Function<String, WeaviateCluster> clusters;
    private final SimulationContext context;

    public WeaviateRoutes(Function<String, WeaviateCluster> clusters, SimulationContext context) {
        this.clusters = clusters;
        this.context = context;
    }

    public void mount(Router router) {
        router.route(BASE + "/*").handler(this::gate);
        router.get(BASE + "/.well-known/live").handler(ctx -> Http.empty(ctx, 200));
        router.get(BASE + "/.well-known/ready").handler(ctx -> Http.empty(ctx, cluster(ctx).snapshot().ready() ? 200 : 503));
        router.get(BASE + "/meta").handler(guard(ctx -> Http.json(ctx, 200, WeaviateJson.meta(version(ctx)))));
        router.get(BASE + "/nodes").handler(guard(ctx -> nodes(ctx, null)));
        router.get(BASE + "/nodes/:className").handler(guard(ctx -> nodes(ctx, ctx.pathParam("className"))));
        router.get(BASE + "/cluster/statistics").handler(guard(this::statistics));
        router.get(BASE + "/schema/cluster-status").handler(guard(this::schemaClusterStatus));
        router.post(BASE + "/cluster/schema-v1").handler(guard(this::schemaV1));
        router.get(BASE + "/schema").handler(guard(this::schema));
        router.delete(BASE + "/schema/:className").handler(guard(ctx -> {
            cluster(ctx).deleteCollection(ctx.pathParam("className"), Http.stepId(ctx));
            Http.empty(ctx, 200);
        }));
        router.post(BASE + "/graphql").handler(guard(this::graphql));
        router.post(BASE + "/backups/:backend").handler(guard(this::createBackup));
        router.get(BASE + "/backups/:backend").handler(guard(this::listBackups));
        router.get(BASE + "/backups/:backend/:backupId").handler(guard(this::backupStatus));
        router.delete(BASE + "/backups/:backend/:backupId").handler(guard(this::cancelBackup));
        router.post(BASE + "/backups/:backend/:backupId/restore").handler(guard(this::restore));
        router.get(BASE + "/backups/:backend/:backupId/restore").handler(guard(this::restoreStatus));
        router.delete(BASE + "/backups/:backend/:backupId/restore").handler(guard(this::cancelRestore));
        router.route(BASE + "/*").handler(ctx -> notFound(ctx));
    }

    /** Unknown cluster, no pod serving, injected faults, authentication: in the order a caller meets them. */
    private void gate(RoutingContext ctx) {
        WeaviateCluster cluster = clusters.apply(ctx.pathParam("clusterId"));
        if (cluster == null) {
            Http.json(ctx, 404, WeaviateJson.error("no simulated cluster " + ctx.pathParam("clusterId")));
            return;
        }
        ctx.put(CLUSTER, cluster);
        WeaviateSnapshot snapshot = cluster.snapshot();
        if (snapshot.version() == null) {
            // no pod is serving: the Service has no endpoints
            Http.json(ctx, 503, WeaviateJson.error("no healthy upstream"));
            return;
        }
        FaultInjector.ApiFault fault = context.faults().apiFault(cluster.id());
        Handler<Void> proceed = v -> {
            if (fault != null && fault.fails()) {
                Http.json(ctx, fault.errorStatus(), WeaviateJson.error("simulated failure (injected fault)"));
            } else if (!ctx.request().path().contains("/.well-known/") && !authorized(ctx, cluster)) {
                Http.json(ctx, 401, WeaviateJson.routingError(401,
                        "anonymous access not enabled, please provide an auth scheme such as OIDC"));
            } else {
                ctx.next();
            }
        };
        if (fault != null && fault.delayMs() > 0) {
            ctx.vertx().setTimer(fault.delayMs(), t -> proceed.handle(null));
        } else {
            proceed.handle(null);
        }
    }

    private static boolean authorized(RoutingContext ctx, WeaviateCluster cluster) {
        if (cluster.apiKey() == null) {
            return true;
        }
        String header = ctx.request().getHeader("Authorization");
        return header != null && header.equals("Bearer " + cluster.apiKey());
    }

    /** Turns refusals into the ErrorResponse a real server sends. */
    private static Handler<RoutingContext> guard(Handler<RoutingContext> handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (SimulatorException e) {
                Http.json(ctx, e.status(), WeaviateJson.error(e.getMessage()));
            } catch (IllegalArgumentException | ClassCastException e) {
                Http.json(ctx, 422, WeaviateJson.error(e.getMessage()));
            }
        };
    }

    private static WeaviateCluster cluster(RoutingContext ctx) {
        return ctx.get(CLUSTER);
    }

    private static Version version(RoutingContext ctx) {
        return cluster(ctx).answeringVersion();
    }

    private static void notFound(RoutingContext ctx) {
        String path = ctx.request().path().replaceFirst("^/clusters/[^/]+", "");
        Http.json(ctx, 404, WeaviateJson.routingError(404, "path " + path + " was not found"));
    }

    private static void methodNotAllowed(RoutingContext ctx, String allowed) {
        Http.json(ctx, 405, WeaviateJson.routingError(405,
                "method " + ctx.request().method() + " is not allowed, but [" + allowed + "] are"));
    }

    private void nodes(RoutingContext ctx, String className) {
        WeaviateCluster cluster = cluster(ctx);
        String output = ctx.queryParams().get("output");
        if (output != null && !output.equals("minimal") && !output.equals("verbose")) {
            throw new SimulatorException(422, "invalid output parameter: " + output);
        }
        if (className != null && !cluster.collections().containsKey(className)) {
            throw new SimulatorException(404, "class " + className + " not found");
        }
        Http.json(ctx, 200, WeaviateJson.nodes(version(ctx), cluster.snapshot(), "verbose".equals(output), className));
    }

    private void statistics(RoutingContext ctx) {
        if (version(ctx).below("1.25.0")) {
            notFound(ctx); // came with the Raft metadata store in 1.25
            return;
        }
        Http.json(ctx, 200, WeaviateJson.statistics(cluster(ctx).snapshot()));
    }

    private void schemaClusterStatus(RoutingContext ctx) {
        if (version(ctx).atLeast("1.25.0")) {
            notFound(ctx); // removed in 1.25
            return;
        }
        Http.json(ctx, 200, WeaviateJson.schemaClusterStatus(cluster(ctx).snapshot()));
    }

    /** Just the collection names: the simulator keeps no properties or vector config. */
    private void schema(RoutingContext ctx) {
        JsonArray classes = new JsonArray();
        cluster(ctx).collections().keySet().stream().sorted()
                .forEach(name -> classes.add(new JsonObject().put("class", name)));
        Http.json(ctx, 200, new JsonObject().put("classes", classes));
    }

    /** Reads only: Aggregate counts and Get of objects (WeaviateGraphQL); errors come back in a 200, as Weaviate's. */
    private void graphql(RoutingContext ctx) {
        String query = body(ctx).getString("query");
        if (query == null || query.isBlank()) {
            throw new SimulatorException(422, "query cannot be empty");
        }
        Http.json(ctx, 200, WeaviateGraphQL.answer(query, cluster(ctx).collections()));
    }

    private void schemaV1(RoutingContext ctx) {
        Version version = version(ctx);
        if (version.below("1.25.0") || version.atLeast("1.35.0")) {
            notFound(ctx); // registered 1.25 .. 1.34 only
            return;
        }
        cluster(ctx).schemaV1(Http.stepId(ctx));
        Http.empty(ctx, 200);
    }

    private void createBackup(RoutingContext ctx) {
        JsonObject body = body(ctx);
        BackupOperation backup = cluster(ctx).createBackup(ctx.pathParam("backend"), body.getString("id"),
                strings(body, "include"), strings(body, "exclude"), Http.stepId(ctx));
        Http.json(ctx, 200, WeaviateJson.backupCreated(backup));
    }

    private void listBackups(RoutingContext ctx) {
        Version version = version(ctx);
        boolean listExists = version.atLeast("1.26.5") || (version.minor() == 25 && version.patch() >= 17);
        if (!listExists) {
            methodNotAllowed(ctx, "POST");
            return;
        }
        List<BackupOperation> backups = cluster(ctx).backups(ctx.pathParam("backend"));
        JsonArray list = WeaviateJson.backupList(version, backups, context.now());
        if ("asc".equals(ctx.queryParams().get("order"))) {
            Http.json(ctx, 200, list);
        } else {
            JsonArray desc = new JsonArray();
            for (int i = list.size() - 1; i >= 0; i--) {
                desc.add(list.getValue(i));
            }
            Http.json(ctx, 200, desc);
        }
    }

    private void backupStatus(RoutingContext ctx) {
        BackupOperation backup = cluster(ctx).backup(ctx.pathParam("backend"), ctx.pathParam("backupId"));
        Http.json(ctx, 200, WeaviateJson.backupStatus(version(ctx), backup, context.now()));
    }

    private void cancelBackup(RoutingContext ctx) {
        if (version(ctx).below("1.26.5")) {
            methodNotAllowed(ctx, "GET");
            return;
        }
        cluster(ctx).cancelBackup(ctx.pathParam("backend"), ctx.pathParam("backupId"), Http.stepId(ctx));
        Http.empty(ctx, 204);
    }

    private void restore(RoutingContext ctx) {
        JsonObject body = body(ctx);
        BackupOperation restore = cluster(ctx).restore(ctx.pathParam("backend"), ctx.pathParam("backupId"),
                strings(body, "include"), strings(body, "exclude"), Http.stepId(ctx));
        Http.json(ctx, 200, WeaviateJson.restoreStarted(restore));
    }

    private void restoreStatus(RoutingContext ctx) {
        BackupOperation restore = cluster(ctx).restoreStatus(ctx.pathParam("backend"), ctx.pathParam("backupId"));
        Http.json(ctx, 200, WeaviateJson.restoreStatus(version(ctx), restore, context.now()));
    }

    private void cancelRestore(RoutingContext ctx) {
        if (version(ctx).below("1.36.0")) {
            methodNotAllowed(ctx, "GET, POST");
            return;
        }
        cluster(ctx).cancelRestore(ctx.pathParam("backend"), ctx.pathParam("backupId"), Http.stepId(ctx));
        Http.empty(ctx, 204);
    }

    private static JsonObject body(RoutingContext ctx) {
        String text = ctx.body() == null ? null : ctx.body().asString();
        if (text == null || text.isBlank()) {
            return new JsonObject();
        }
        try {
            return new JsonObject(text);
        } catch (RuntimeException e) {
            throw new SimulatorException(422, "parsing body from \"\" failed, because " + e.getMessage());
        }
    }

    private static List<String> strings(JsonObject body, String field) {
        JsonArray array = body.getJsonArray(field);
        return array == null ? List.of() : array.stream().map(String::valueOf).toList();
    }
}
