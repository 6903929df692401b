package io.stepwise.infrastructure;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.testcontainers.containers.GenericContainer;

/** What the Testcontainers backings share: a fixed host port, and stop / start of the same container. */
final class DockerSupport {

    private DockerSupport() {
    }

    /**
     * Publishes {@code containerPort} on {@code hostPort}, not a random one: a container stopped and started again
     * comes back on the same address, as the embedded servers do (and Kafka's advertised listener stays right).
     */
    static void bind(GenericContainer<?> container, int containerPort, int hostPort) {
        container.withExposedPorts(containerPort).withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withPortBindings(new PortBinding(com.github.dockerjava.api.model.Ports.Binding.bindPort(hostPort),
                        new ExposedPort(containerPort))));
    }

    /** Stops the container, keeping it (and its data) for {@link #start}. */
    static void stop(GenericContainer<?> container) {
        container.getDockerClient().stopContainerCmd(container.getContainerId()).exec();
    }

    /** Starts a stopped container again and waits until {@code ready}. */
    static void start(GenericContainer<?> container, BooleanSupplier ready, String what) {
        container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " not ready 2 minutes after its container started again");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while " + what + " was starting", e);
            }
        }
    }
}
