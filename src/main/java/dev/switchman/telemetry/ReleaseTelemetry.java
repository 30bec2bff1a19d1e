package dev.switchman.telemetry;

import dev.switchman.config.LoadedConfig;
import dev.switchman.config.MetricsConfig;
import dev.switchman.release.Outcome;
import dev.switchman.release.Progress;
import dev.switchman.release.ProgressEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A release's (or a rollback's) metrics and their export ({@code metrics} in the config): written to the Pushgateway and/or the
 * textfile when each gate starts, so a release stuck in one shows it, and once more when it ended. Exports run on
 * a thread of their own, each bounded by {@code metrics.timeout}; one that fails is a warning on stderr when the
 * release is over, never a change to its outcome or exit code.
 */
public final class ReleaseTelemetry implements Progress, AutoCloseable {
    private final ReleaseMetrics metrics;
    private final Pushgateway pushgateway;
    private final Textfile textfile;
    private final Duration timeout;
    private final PrintStream warnings;
    private final ExecutorService exporter = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "switchman-metrics");
        thread.setDaemon(true);
        return thread;
    });
    /** An export is waiting to run: it will scrape the meters as they are then, so another is not needed. */
    private final AtomicBoolean queued = new AtomicBoolean();
    /** Something was recorded: a refused rollback records nothing, and exports nothing over the last release's. */
    private final AtomicBoolean recorded = new AtomicBoolean();
    /** Each destination's failure on its latest export; a later success clears it. */
    private final Map<String, String> failing = new ConcurrentSkipListMap<>();

    ReleaseTelemetry(ReleaseMetrics metrics, Pushgateway pushgateway, Textfile textfile, Duration timeout, PrintStream warnings) {
        this.metrics = metrics;
        this.pushgateway = pushgateway;
        this.textfile = textfile;
        this.timeout = timeout;
        this.warnings = warnings;
    }

    /**
     * The telemetry of one release of {@code config}'s application; with no {@code metrics} section it records and
     * exports nothing (a meter registry costs a few hundred milliseconds of a release's start).
     */
    public static ReleaseTelemetry open(LoadedConfig config, PrintStream warnings) {
        MetricsConfig settings = config.config().metrics();
        if (settings == null) {
            return new ReleaseTelemetry(null, null, null, MetricsConfig.DEFAULT_TIMEOUT, warnings);
        }
        return new ReleaseTelemetry(new ReleaseMetrics(config.application(), buildVersion()),
                settings.pushgateway() == null ? null : new Pushgateway(settings.pushgateway(), config.application(), settings.timeout()),
                settings.textfile() == null ? null : new Textfile(config.resolve(settings.textfile())),
                settings.timeout(), warnings);
    }

    /** Reports to {@code other} (the progress lines) and to these metrics. */
    public Progress alongside(Progress other) {
        if (metrics == null) {
            return other;
        }
        return new Progress() {
            @Override
            public void report(ProgressEvent event) {
                ReleaseTelemetry.this.report(event);
                other.report(event);
            }

            @Override
            public void flush() {
                other.flush();
            }
        };
    }

    @Override
    public void report(ProgressEvent event) {
        if (metrics == null) {
            return;
        }
        metrics.report(event);
        recorded.set(true);
        if (event instanceof ProgressEvent.StepStarted && exports() && queued.compareAndSet(false, true)) {
            try {
                exporter.execute(() -> {
                    queued.set(false);
                    export();
                });
            } catch (RejectedExecutionException e) {
                // Reported after the release ended: its last export has been written.
            }
        }
    }

    public void ended(Outcome outcome) {
        if (metrics != null) {
            metrics.ended(outcome);
            recorded.set(true);
        }
    }

    public void failed(Throwable failure) {
        if (metrics != null) {
            metrics.failed(failure);
            recorded.set(true);
        }
    }

    private boolean exports() {
        return pushgateway != null || textfile != null;
    }

    private void export() {
        String text = metrics.scrape();
        if (textfile != null) {
            attempt("could not write " + textfile.file(), () -> textfile.write(text));
        }
        if (pushgateway != null) {
            attempt("could not push to " + pushgateway.uri(), () -> pushgateway.push(text));
        }
    }

    private interface Work {
        void run() throws IOException;
    }

    private void attempt(String what, Work work) {
        try {
            work.run();
            failing.remove(what);
        } catch (IOException | RuntimeException e) {
            failing.put(what, describe(e));
        }
    }

    /** The first message along the causes; the HTTP client's ConnectException often has none. */
    private static String describe(Throwable e) {
        if (e instanceof ConnectException && e.getMessage() == null) {
            return "cannot connect (nothing listens there, or it cannot be reached)";
        }
        if (e instanceof NoSuchFileException) {
            return "its directory does not exist";
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    /** The last export, after the ones queued (none when nothing was recorded); then the warnings of those that failed. */
    @Override
    public void close() {
        if (exports() && recorded.get()) {
            try {
                // The queued export and this one, each push bounded by the timeout.
                exporter.submit(this::export).get(timeout.toMillis() * 3 + 1_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                failing.put("could not export", String.valueOf(e.getCause()));
            } catch (TimeoutException e) {
                failing.put("could not export", "it took longer than " + (timeout.toMillis() * 3 + 1_000) + " ms");
            }
            failing.forEach((what, why) -> warnings.println("switchman: warning: metrics: " + what + ": " + why
                    + " (the release's outcome stands)"));
        }
        exporter.shutdownNow();
    }

    /** The version the build wrote into the CLI's {@code version.properties}, as {@code switchman --version} prints it. */
    public static String buildVersion() {
        Properties build = new Properties();
        try (InputStream in = ReleaseTelemetry.class.getResourceAsStream("/dev/switchman/cli/version.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String version = build.getProperty("version", "");
        // Unfiltered (run from sources without Maven's resource step) it still reads ${project.version}.
        return version.isBlank() || version.startsWith("${") ? "unknown" : version;
    }
}
