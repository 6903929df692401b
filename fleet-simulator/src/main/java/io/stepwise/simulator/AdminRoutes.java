package io.stepwise.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.simulator.core.SimulatorException;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.simulator.http.Http;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;


/**
 * The admin API (this module's README.md): create and inspect clusters, read the effects ledger and violations,
 * inject faults, change a cluster's version as its deployment tool would. Errors are
 * {@code application/problem+json}. Handlers run on worker threads because they may call the
 * Kubernetes API.
 */
final class AdminRoutes {

    private static final ObjectMapper READER = Http.MAPPER.copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final FleetSimulator simulator;

    AdminRoutes(FleetSimulator simulator) {
        this.simulator = simulator;
    }

    void mount(Router router) {
        router.post("/admin/clusters").blockingHandler(guard(this::createCluster), false);
        router.get("/admin/clusters").blockingHandler(guard(ctx ->
                Http.json(ctx, 200, simulator.clusters().stream().map(c -> withOrigin(c, ctx)).toList())), false);
        router.get("/admin/clusters/:id").blockingHandler(guard(this::describe), false);
        router.post("/admin/clusters/:id/version").blockingHandler(guard(this::setVersion), false);
        router.post("/admin/clusters/:id/backup").blockingHandler(guard(ctx -> ctx.response()
                .putHeader("Content-Type", "application/octet-stream")
                .end(io.vertx.core.buffer.Buffer.buffer(simulator.pachyderm(ctx.pathParam("id"))
                        .backup(Http.stepId(ctx))))), false);
        router.post("/admin/clusters/:id/collections/:collection/lose").blockingHandler(guard(this::loseObjects), false);
        router.get("/admin/effects").blockingHandler(guard(ctx ->
                Http.json(ctx, 200, simulator.effects(ctx.queryParams().get("clusterId")))), false);
        router.get("/admin/violations").blockingHandler(guard(ctx ->
                Http.json(ctx, 200, simulator.violations(ctx.queryParams().get("clusterId")))), false);
        router.post("/admin/faults").blockingHandler(guard(ctx ->
                Http.json(ctx, 201, simulator.injectFault(read(ctx, Fault.class)))), false);
        router.get("/admin/faults").blockingHandler(guard(ctx -> Http.json(ctx, 200, simulator.faults())), false);
        router.delete("/admin/faults").blockingHandler(guard(ctx -> {
            simulator.clearFaults();
            Http.empty(ctx, 204);
        }), false);
    }

    private void createCluster(RoutingContext ctx) {
        ClusterInfo info = simulator.createCluster(read(ctx, ClusterSpec.class));
        Http.json(ctx, 201, withOrigin(info, ctx));
    }

    private void describe(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        ClusterInfo info = withOrigin(simulator.clusters().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new SimulatorException(404, "no simulated cluster " + id)), ctx);
        JsonObject body = new JsonObject(Http.encode(info));
        if ("weaviate".equals(info.product())) {
            body.put("state", new JsonObject(Http.encode(simulator.weaviate(id))));
        } else {
            body.put("state", simulator.pachyderm(id).describe());
        }
        Http.json(ctx, 200, body);
    }

    /** {@code {"version": "1.25.34"}}: what helm-sim (and a Docker restart) does. */
    private void setVersion(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        String version = body == null ? null : body.getString("version");
        if (version == null) {
            throw new IllegalArgumentException("body must be {\"version\": \"1.25.34\"}");
        }
        simulator.setVersion(ctx.pathParam("id"), version, Http.stepId(ctx));
        Http.json(ctx, 202, new JsonObject().put("id", ctx.pathParam("id")).put("version", version));
    }

    /** {@code {"objects": 10}}: that many objects of the collection vanish, as a lost write would. */
    private void loseObjects(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (io.vertx.core.json.DecodeException e) {
            body = null;
        }
        Object objects = body == null ? null : body.getValue("objects");
        if (!(objects instanceof Number n) || n.longValue() != n.doubleValue()) {
            throw new IllegalArgumentException("body must be {\"objects\": 10}, a whole number of objects to lose");
        }
        String id = ctx.pathParam("id");
        String collection = ctx.pathParam("collection");
        long left = simulator.loseObjects(id, collection, n.longValue(), Http.stepId(ctx));
        Http.json(ctx, 200, new JsonObject().put("id", id).put("collection", collection).put("objects", left));
    }

    /** Endpoints as the caller reached the simulator, which matters behind Quarkus or a proxy. */
    private static ClusterInfo withOrigin(ClusterInfo info, RoutingContext ctx) {
        String endpoint = Http.origin(ctx) + "/clusters/" + info.id();
        return new ClusterInfo(info.id(), info.product(), info.version(), info.nodes(), info.deployment(), endpoint,
                info.namespace(), info.statefulSet(), info.helmRelease(), info.kubernetesUrl());
    }

    private static <T> T read(RoutingContext ctx, Class<T> type) {
        try {
            String text = ctx.body().asString();
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("a JSON body is required");
            }
            return READER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot read the body: " + e.getOriginalMessage());
        }
    }

    private static Handler<RoutingContext> guard(Handler<RoutingContext> handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (SimulatorException e) {
                problem(ctx, e.status(), e.getMessage());
            } catch (IllegalArgumentException e) {
                problem(ctx, 400, e.getMessage());
            } catch (IllegalStateException e) {
                problem(ctx, 409, e.getMessage());
            }
        };
    }

    private static void problem(RoutingContext ctx, int status, String detail) {
        JsonObject problem = new JsonObject().put("type", "about:blank")
                .put("title", status == 404 ? "Not Found" : status == 409 ? "Conflict" : "Bad Request")
                .put("status", status).put("detail", detail);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json").end(problem.encode());
    }
}
