package dev.switchman.platform.process;

import dev.switchman.config.Durations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.File;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A slot's process group: its leader is the process setsid started (pgid == its pid), the rest are what it spawned.
 * Stopping it sends SIGTERM to the whole group, gives it {@code platform.stopGrace} to go, then sends SIGKILL.
 */
final class ProcessGroup {
    // Logged under the platform's name, as before: log filters may select it.
    private static final Logger LOG = LoggerFactory.getLogger(ProcessPlatform.class);

    /** Between two looks at /proc while a group stops. */
    static final Duration EXIT_POLL = Duration.ofMillis(50);
    /** How long a process group gets to vanish after SIGKILL. */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /**
     * How far apart two readings of one process's start instant may be. The JDK derives it from the boot time,
     * which each JVM reads once and which moves when the wall clock is stepped.
     */
    static final Duration START_TOLERANCE = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final Clock clock;
    private final long pgid;
    private final Duration stopGrace;

    ProcessGroup(Vertx vertx, Clock clock, long pgid, Duration stopGrace) {
        this.vertx = vertx;
        this.clock = clock;
        this.pgid = pgid;
        this.stopGrace = stopGrace;
    }

    /**
     * Whether the group's leader runs and is the process that started at {@code startedAt}, not a later process
     * given its recycled pid: only then is the group the slot's to signal.
     */
    Future<Boolean> isLedBy(Instant startedAt) {
        return vertx.executeBlocking(() -> sameProcess(pgid, startedAt), false);
    }

    /** SIGTERM to the group, up to stopGrace for it to go, then SIGKILL; succeeds once no process of it is left. */
    Future<Void> terminate() {
        return vertx.executeBlocking(() -> ProcStat.groupAlive(pgid), false).compose(alive -> {
            if (!alive) {
                return Future.succeededFuture();
            }
            return signal("TERM")
                    .compose(sent -> awaitGone(stopGrace))
                    .compose(gone -> {
                        if (gone) {
                            return Future.succeededFuture(true);
                        }
                        LOG.warn("process group {} still runs {} after SIGTERM (platform.stopGrace): sending SIGKILL",
                                pgid, Durations.format(stopGrace));
                        return signal("KILL").compose(sent -> awaitGone(KILL_WAIT));
                    })
                    .compose(gone -> gone ? Future.<Void>succeededFuture() : Future.failedFuture(new ProcessPlatformException(
                            "pid " + pgid + ": its process group still runs " + Durations.format(KILL_WAIT)
                                    + " after SIGKILL; look at it with `ps -o pid,stat,cmd -g " + pgid + "`")));
        });
    }

    /** Blocking: whether {@code pid} runs and is the process that started at {@code startedAt}. */
    private static boolean sameProcess(long pid, Instant startedAt) {
        if (startedAt == null || ProcStat.read(pid).map(ProcStat::gone).orElse(true)) {
            return false;
        }
        Optional<Instant> start = ProcessHandle.of(pid).flatMap(handle -> handle.info().startInstant());
        return start.isPresent() && Duration.between(start.get(), startedAt).abs().compareTo(START_TOLERANCE) <= 0;
    }

    /** Sends a signal to the whole group with kill(1): Java can signal only single processes. */
    private Future<Void> signal(String signal) {
        return vertx.executeBlocking(() -> {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
            // A non-zero exit means the group vanished meanwhile; waiting for it decides.
            return null;
        }, false);
    }

    /** Completes with whether the group is gone within {@code bound}; polls /proc off the event loop. */
    private Future<Boolean> awaitGone(Duration bound) {
        Instant deadline = clock.instant().plus(bound);
        Promise<Boolean> result = Promise.promise();
        new Object() {
            void poll() {
                vertx.executeBlocking(() -> ProcStat.groupAlive(pgid), false).onComplete(ar -> {
                    if (ar.failed()) {
                        result.fail(ar.cause());
                    } else if (!ar.result()) {
                        result.complete(true);
                    } else if (!clock.instant().isBefore(deadline)) {
                        result.complete(false);
                    } else {
                        vertx.setTimer(EXIT_POLL.toMillis(), id -> poll());
                    }
                });
            }
        }.poll();
        return result.future();
    }
}
