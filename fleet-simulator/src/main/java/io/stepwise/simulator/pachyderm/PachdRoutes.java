package io.stepwise.simulator.pachyderm;

import io.stepwise.simulator.core.SimulatorException;
import io.stepwise.simulator.core.Version;
import io.stepwise.simulator.fault.FaultInjector;
import io.stepwise.simulator.http.Http;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The simulated pachd, under {@code /clusters/{id}/pachd}. Only {@code bin/pachctl} calls it: errors
 * are plain text the CLI prints as-is. Extracts written with {@code -u URL} land in an in-memory
 * object store shared by all clusters, so a restore can read them back.
 */
public final class PachdRoutes {

    private static final String BASE = "/clusters/:clusterId/pachd";
    private static final String CLUSTER = "pachyderm.cluster";
    /** The mutating commands, each a POST to its name. */
    private static final Set<String> COMMANDS = Set.of("extract", "restore", "undeploy", "deploy");

    private final Function<String, PachydermCluster> clusters;
    private final FaultInjector faults;
    private final Map<String, byte[]> objectStore = new ConcurrentHashMap<>();

    public PachdRoutes(Function<String, PachydermCluster> clusters, FaultInjector faults) {
        this.clusters = clusters;
        this.faults = faults;
    }

    public void mount(Router router) {
        router.route(BASE + "/*").handler(this::gate);
        router.get(BASE + "/version").handler(guard(ctx -> {
            PachydermCluster cluster = cluster(ctx);
            JsonObject body = new JsonObject().put("clientVersion", cluster.clientVersion().toString())
                    .put("deployed", cluster.deployed());
            if (cluster.deployed()) {
                body.put("serverVersion", cluster.serverVersion().toString());
            }
            Http.json(ctx, 200, body);
        }));
        router.get(BASE + "/repos").handler(guard(ctx -> {
            PachydermCluster cluster = cluster(ctx);
            if (!cluster.deployed()) {
                throw new SimulatorException(503, "error connecting to pachd server: context deadline exceeded");
            }
            Http.json(ctx, 200, new JsonObject(Map.copyOf(cluster.repos())));
        }));
        router.post(BASE + "/extract").handler(guard(ctx -> {
            String url = ctx.queryParams().get("url");
            boolean noObjects = "true".equals(ctx.queryParams().get("noObjects"));
            byte[] data = cluster(ctx).extract(noObjects, url == null ? "stdout" : url, Http.stepId(ctx));
            if (url != null) {
                objectStore.put(url, data);
                Http.empty(ctx, 204);
            } else {
                ctx.response().putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(data));
            }
        }));
        router.post(BASE + "/restore").handler(guard(ctx -> {
            String url = ctx.queryParams().get("url");
            byte[] data;
            if (url != null) {
                data = objectStore.get(url);
                if (data == null) {
                    throw new SimulatorException(404, "restore: object " + url + " not found");
                }
            } else {
                data = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
            }
            cluster(ctx).restore(data, url == null ? "stdin" : url, Http.stepId(ctx));
            Http.empty(ctx, 204);
        }));
        router.post(BASE + "/undeploy").handler(guard(ctx -> {
            cluster(ctx).undeploy("true".equals(ctx.queryParams().get("all")), Http.stepId(ctx));
            Http.empty(ctx, 204);
        }));
        router.post(BASE + "/deploy").handler(guard(ctx -> {
            String version = ctx.queryParams().get("version");
            if (!Version.isValid(version)) {
                throw new SimulatorException(400, "deploy: not a version: " + version);
            }
            cluster(ctx).deploy(Version.parse(version), "pachctl deploy", Http.stepId(ctx));
            Http.empty(ctx, 204);
        }));
    }

    private void gate(RoutingContext ctx) {
        PachydermCluster cluster = clusters.apply(ctx.pathParam("clusterId"));
        if (cluster == null) {
            text(ctx, 404, "no simulated Pachyderm cluster " + ctx.pathParam("clusterId"));
            return;
        }
        ctx.put(CLUSTER, cluster);
        String command = ctx.request().path().substring(ctx.request().path().lastIndexOf('/') + 1);
        if (ctx.request().method() == HttpMethod.POST && COMMANDS.contains(command)) {
            // the command runs from here, before any injected delay, until pachd's answer, whatever it is; it ends
            // before the answer leaves, so a command sent on receiving it never meets this one (or on a lost answer)
            PachydermCluster.Command running = cluster.begin("pachctl " + command
                    + (command.equals("deploy") ? " " + ctx.queryParams().get("version") : ""), Http.stepId(ctx));
            ctx.addHeadersEndHandler(answering -> cluster.end(running));
            ctx.addEndHandler(closed -> cluster.end(running));
        }
        FaultInjector.ApiFault fault = faults.apiFault(cluster.id());
        Handler<Void> proceed = v -> {
            if (fault != null && fault.fails()) {
                text(ctx, fault.errorStatus(), "rpc error: code = Unavailable desc = simulated failure (injected fault)");
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

    private static Handler<RoutingContext> guard(Handler<RoutingContext> handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (SimulatorException e) {
                text(ctx, e.status(), e.getMessage());
            }
        };
    }

    private static PachydermCluster cluster(RoutingContext ctx) {
        return ctx.get(CLUSTER);
    }

    private static void text(RoutingContext ctx, int status, String message) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain").end(message);
    }
}
