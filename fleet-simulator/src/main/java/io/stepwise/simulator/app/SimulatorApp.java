package io.stepwise.simulator.app;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.stepwise.simulator.FleetSimulator;
import io.stepwise.simulator.SimulatorSettings;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The simulator as a Quarkus application: one {@link FleetSimulator} whose routes are mounted on
 * Quarkus' own router, so the app and the in-process library share one implementation.
 */
@ApplicationScoped
public class SimulatorApp {

    @Produces
    @Singleton
    FleetSimulator simulator(SimulatorConfig config, @ConfigProperty(name = "quarkus.http.port") int port) {
        SimulatorSettings settings = SimulatorSettings.defaults()
                .withBackupDuration(config.backupDuration())
                .withNodeRestartDuration(config.nodeRestartDuration())
                .withSyncDuration(config.syncDuration())
                .withTickInterval(config.tickInterval())
                .withNamespace(config.namespace())
                .withSeed(config.seed());
        return FleetSimulator.create(settings, "http://localhost:" + port);
    }

    void routes(@Observes Router router, FleetSimulator simulator) {
        simulator.mount(router);
        Log.infof("fleet simulator serving /clusters/{id}/v1/... and /admin/...");
    }

    void stop(@Observes ShutdownEvent event, FleetSimulator simulator) {
        simulator.close();
    }
}
