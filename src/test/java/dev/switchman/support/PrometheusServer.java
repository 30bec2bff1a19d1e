package dev.switchman.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian's {@code prometheus}, which {@code .ci/run} installs) on a free loopback port,
 * scraping the given targets every second into storage of its own, for tests that judge a release by PromQL.
 * {@link #close} stops it and removes its storage.
 */
public final class PrometheusServer implements AutoCloseable {
    /** The job every target is scraped under: queries may select {@code job="switchman"}. */
    public static final String JOB = "switchman";

    public final int port;
    private final String job;
    private final Path dir;
    private final Process process;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(int port, String job, Path dir, Process process) {
        this.port = port;
        this.job = job;
        this.dir = dir;
        this.process = process;
    }

    /**
     * Starts Prometheus scraping {@code targets} ({@code host:port}, each serving {@code /metrics} without a token, as
     * the builtin router's admin port does) and waits until it is ready.
     */
    public static PrometheusServer start(Path dir, List<String> targets) throws IOException {
        return start(dir, JOB, targets, null);
    }

    /**
     * Starts Prometheus scraping {@code targets} under {@code job}, evaluating the alert rules in {@code rules} (or
     * none, when null) every second, and waits until it is ready.
     */
    public static PrometheusServer start(Path dir, String job, List<String> targets, Path rules) throws IOException {
        Files.createDirectories(dir);
        int port = Ports.free();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                %s
                scrape_configs:
                  - job_name: %s
                    metrics_path: /metrics
                    static_configs:
                      - targets: [%s]
                """.formatted(rules == null ? "" : "rule_files: ['" + rules.toAbsolutePath() + "']", job,
                targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))));
        Process process = new ProcessBuilder("prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        PrometheusServer server = new PrometheusServer(port, job, dir, process);
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("prometheus exited with " + process.exitValue() + ": " + server.log());
                }
                return server.status("/-/ready") == 200;
            });
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits until every target was scraped successfully, so a query over them has data. */
    public void awaitScraped(int targets) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> query("count(up{job=\"" + job + "\"} == 1)").contains("\"" + targets + "\"]"));
    }

    /** The body of an instant query's answer (Prometheus's JSON). */
    public String query(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body();
    }

    /** The body of {@code /api/v1/alerts}: the alerts pending and firing now (Prometheus's JSON). */
    public String alerts() {
        return get("/api/v1/alerts").body();
    }

    private int status(String path) {
        try {
            return get(path).statusCode();
        } catch (UncheckedIOException e) {
            return -1;
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Path data = dir.resolve("data");
        if (Files.exists(data)) {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove Prometheus's storage " + data, e);
            }
        }
    }
}
