package dev.switchman.traffic.nginx;

import dev.switchman.config.ConfigException;
import dev.switchman.model.Colour;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import dev.switchman.util.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Drives an nginx that includes the file Switchman writes. A weight change rewrites only the weights file, which
 * the include's njs script reads per request: no reload, so no connection is closed. An endpoint change rewrites
 * the include and reloads nginx, after {@code nginx -t}. nginx counts nothing per colour here, so
 * {@link #status()} reports no counts and {@link #drain} waits the configured drain time.
 */
public final class NginxRouter implements Router {
    private final Vertx vertx;
    private final NginxFiles files;
    private final NginxControl nginx;
    private final Duration drainTime;

    NginxRouter(Vertx vertx, NginxFiles files, NginxControl nginx, Duration drainTime) {
        this.vertx = vertx;
        this.files = files;
        this.nginx = nginx;
        this.drainTime = drainTime;
    }

    /** The files it writes, for a first start of nginx before any target. */
    NginxFiles files() {
        return files;
    }

    @Override
    public Future<Void> setWeights(TrafficTarget target) {
        return vertx.executeBlocking(() -> {
            apply(target);
            return null;
        });
    }

    @Override
    public Future<Boolean> verify(TrafficTarget target) {
        // The weights file keeps no version: a target is verified by its endpoints and weights.
        return vertx.executeBlocking(() -> target.withoutVersions().equals(applied())
                && files.includeText(target).equals(read(files.include()))
                && files.scriptText().equals(read(files.script())));
    }

    /** nginx without a metrics module counts nothing per colour: analysis comes from other metrics. */
    @Override
    public boolean countsPerColour() {
        return false;
    }

    @Override
    public Future<RouterStatus> status() {
        // nginx counts nothing per colour without a metrics module: no counts rather than wrong ones.
        return vertx.executeBlocking(() -> new RouterStatus(applied(), Map.of()));
    }

    @Override
    public Future<Void> drain(Colour colour) {
        Promise<Void> drained = Promise.promise();
        if (drainTime.isZero()) {
            drained.complete();
        } else {
            vertx.setTimer(drainTime.toMillis(), id -> drained.complete());
        }
        return drained.future();
    }

    /** One change at a time: two overlapping ones would restore each other's files. */
    private synchronized void apply(TrafficTarget target) throws IOException, InterruptedException {
        requireDirectory("router.include", files.include());
        requireDirectory("router.weightsFile", files.weights());
        String oldInclude = read(files.include());
        String oldScript = read(files.script());
        if (oldInclude != null) {
            String said = nginx.test();
            if (said != null) {
                throw new IllegalStateException("nginx -t fails before any change, so nothing was changed: " + said);
            }
        }
        String include = files.includeText(target);
        String script = files.scriptText();
        if (!include.equals(oldInclude) || !script.equals(oldScript)) {
            write(files.script(), script);
            write(files.include(), include);
            try {
                String said = nginx.test();
                if (said != null) {
                    throw new IllegalStateException("nginx -t refuses the new " + files.include()
                            + ", so the previous one is back: " + said);
                }
                nginx.reload();
            } catch (IOException | InterruptedException | RuntimeException e) {
                restore(files.include(), oldInclude);
                restore(files.script(), oldScript);
                throw e;
            }
        }
        String weights = NginxFiles.weightsText(target);
        if (!weights.equals(read(files.weights()))) {
            write(files.weights(), weights);
        }
    }

    private TrafficTarget applied() throws IOException {
        String text = read(files.weights());
        return text == null ? null : NginxFiles.parseWeights(text, files.weights());
    }

    private static void requireDirectory(String key, Path file) {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(key + ": directory " + dir + " does not exist (create it, writable by Switchman)");
        }
    }

    private static String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void write(Path file, String text) throws IOException {
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void restore(Path file, String text) throws IOException {
        if (text == null) {
            Files.deleteIfExists(file);
        } else {
            write(file, text);
        }
    }
}
