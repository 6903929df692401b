package io.stepwise.executor.config;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * This executor's name in the ledger ({@code stepwise.executor.instance-id}, else the host name and a random suffix):
 * the owner of the attempts it runs and of the cluster guards it holds.
 */
@ApplicationScoped
public class InstanceId {

    private final String id;

    public InstanceId(ExecutorConfig config) {
        this.id = config.instanceId().filter(s -> !s.isBlank()).map(String::trim).orElseGet(InstanceId::generated);
        Log.infof("Executor instance id: %s", id);
    }

    public String id() {
        return id;
    }

    private static String generated() {
        byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        return host() + "-" + HexFormat.of().formatHex(suffix);
    }

    private static String host() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "executor";
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
