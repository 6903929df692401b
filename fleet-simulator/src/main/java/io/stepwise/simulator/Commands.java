package io.stepwise.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes small launcher scripts for the simulator's command-line tools (pachctl, helm-sim). They
 * run a JDK-only main class from wherever this module's classes are (target/classes or the jar),
 * so another module's tests can run them without knowing this module's layout.
 */
final class Commands {

    private static final Map<String, Path> LAUNCHERS = new ConcurrentHashMap<>();

    private Commands() {
    }

    static Path launcher(String name, String mainClass) {
        return LAUNCHERS.computeIfAbsent(name, n -> write(n, mainClass));
    }

    private static Path write(String name, String mainClass) {
        try {
            Path classes = Path.of(Commands.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path dir = Files.createTempDirectory("fleet-simulator-bin");
            Path script = dir.resolve(name);
            Files.writeString(script, "#!/bin/sh\n"
                    + "# written by the fleet simulator: runs " + mainClass + "\n"
                    + "exec '" + java + "' -XX:TieredStopAtLevel=1 -Xshare:auto -cp '" + classes + "' "
                    + mainClass + " \"$@\"\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            dir.toFile().deleteOnExit();
            script.toFile().deleteOnExit();
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
