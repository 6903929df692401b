package io.stepwise.executor.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** A file a step wrote that later steps depend on (a Pachyderm dump), as the ledger records it. */
public record Artifact(String clusterId, String name, String rolloutId, String stepId, int seq, String kind, Path path,
                       long size, String sha256, Instant writtenAt) {

    /** What a file holds now: its size and SHA-256. */
    public record Content(long size, String sha256) {

        /** Reads the whole file once (a dump may be large: it is streamed, not loaded). */
        public static Content of(Path file) {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JRE", e);
            }
            long size = 0;
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                    size += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            return new Content(size, HexFormat.of().formatHex(digest.digest()));
        }
    }

    public Content content() {
        return new Content(size, sha256);
    }
}
