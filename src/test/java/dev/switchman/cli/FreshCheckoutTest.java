package dev.switchman.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.config.HostState;
import dev.switchman.db.EmbeddedDatabase;
import dev.switchman.model.ExitCode;
import dev.switchman.support.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CD job checks the application out anew for every run: a release from one checkout, then status, a release,
 * a rollback and down from another, fresh one. The host keeps the long-lived parts (router, token, weights,
 * embedded database, slot notes), so each checkout finds them, and no command writes into a checkout.
 */
class FreshCheckoutTest {
    private static final String TRACKING = "job-" + UUID.randomUUID();
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    @TempDir
    Path dir;
    Path host;
    Path first;
    Path second;

    @BeforeEach
    void checkouts() throws IOException {
        host = dir.resolve("host");
        first = checkout("first");
        second = checkout("second");
    }

    @AfterEach
    void down() throws Exception {
        run(second, "down", "--slots");
    }

    @Test
    void everyCommandFromAnyCheckoutFindsTheHostsState() throws Exception {
        // Reading leaves nothing running that was not: the embedded database status needed is stopped again.
        Result before = run(first, "status", "--json");
        assertThat(json(before).getValue("live")).as(before.err()).isNull();
        assertThat(new EmbeddedDatabase(host.resolve("greeter")).running()).as("database after status").isEmpty();

        assertThat(run(first, "up").code()).isZero();
        Result v1 = run(first, "release", "v1");
        assertThat(v1.code()).as(v1.err()).isEqualTo(ExitCode.RELEASED);
        // The job ended: a runner now kills every process that carries its tracking variable. None does, and
        // the router and the database server, which never need it, do not carry the password either.
        assertThat(processesCarrying("RUNNER_TRACKING_ID=" + TRACKING)).as("processes a runner would kill").isEmpty();
        assertThat(processesCarrying("BUILD_ID=" + TRACKING)).as("processes Jenkins would kill").isEmpty();
        assertThat(processesCarrying("PGPASSWORD=" + PASSWORD).stream().map(ProcessHandle::info)
                .map(info -> info.command().orElse("") + " " + String.join(" ", info.arguments().orElse(new String[0]))))
                .as("processes given the password").noneMatch(cmd -> cmd.contains(" router ") || cmd.contains("postgres"));

        Result status = run(second, "status", "--json");
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(json(status).getJsonObject("live").getString("version")).isEqualTo("v1");

        Result v2 = run(second, "release", "v2");
        assertThat(v2.code()).as(v2.err()).isEqualTo(ExitCode.RELEASED);

        // A release killed in its bake, from the first checkout; the second one rolls it back.
        Files.writeString(first.resolve("strategy.yaml"), "name: long\nsteps:\n  - weight: 100\nbake: 60s\n");
        Process killed = start(first, "release", "v3");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                inProgressGate().equals("bake"));
        killed.destroyForcibly().waitFor();
        Result rollback = run(second, "rollback");
        assertThat(rollback.code()).as(rollback.err()).isZero();
        assertThat(json(run(second, "status", "--json")).getJsonObject("live").getString("version")).isEqualTo("v2");

        Result down = run(second, "down", "--slots");
        assertThat(down.code()).as(down.err()).isZero();
        assertThat(down.err()).contains("router       stopped").contains("database     stopped");

        for (Path checkout : List.of(first, second)) {
            try (Stream<Path> files = Files.list(checkout)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .as("nothing written into the checkout " + checkout)
                        .containsExactlyInAnyOrder("switchman.yaml", "greeter.py", "db", "strategy.yaml");
            }
        }
        assertThat(host.resolve("greeter/postgres")).isDirectory();
    }

    /** The live processes whose environment holds {@code entry} (as {@code NAME=value}). */
    private static List<ProcessHandle> processesCarrying(String entry) {
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
                for (String variable : new String(environ, StandardCharsets.UTF_8).split("\0")) {
                    if (variable.equals(entry)) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false; // gone, or not ours to read
            }
        }).toList();
    }

    private String inProgressGate() throws Exception {
        JsonObject progress = json(run(second, "status", "--json")).getJsonObject("inProgress");
        return progress == null || progress.getString("gate") == null ? "" : progress.getString("gate");
    }

    private Path checkout(String name) throws IOException {
        Path checkout = dir.resolve(name);
        Files.createDirectories(checkout.resolve("db/v1"));
        Files.createDirectories(checkout.resolve("db/v2"));
        Files.createDirectories(checkout.resolve("db/v3"));
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("apps/greeter/greeter.py")) {
            Files.copy(in, checkout.resolve("greeter.py"));
        }
        String v1 = "--liquibase formatted sql\n--changeset greeter:1 labels:expand\ncreate table greetings (id serial primary key, name text);\n--rollback drop table greetings;\n";
        Files.writeString(checkout.resolve("db/v1/changelog.sql"), v1);
        Files.writeString(checkout.resolve("db/v2/changelog.sql"), v1);
        Files.writeString(checkout.resolve("db/v3/changelog.sql"), v1);
        Files.writeString(checkout.resolve("strategy.yaml"), "name: quick\nsteps:\n  - weight: 100\nbake: 0s\n");
        return checkout;
    }

    private List<Integer> ports;

    private String config() {
        if (ports == null) {
            ports = List.of(Ports.free(), Ports.free(), Ports.free(), Ports.free());
        }
        return """
                application: greeter
                changelog: db/{version}/changelog.sql
                platform:
                  command: ["python3", "greeter.py"]
                  env: { PORT: "{port}", VERSION: "{version}" }
                  ports: { blue: %d, green: %d }
                  stopGrace: 2s
                router: { host: 127.0.0.1, port: %d, adminPort: %d }
                health: { jsonField: version, interval: 100ms, successes: 2, deadline: 10s }
                strategy: strategy.yaml
                """.formatted(ports.get(0), ports.get(1), ports.get(2), ports.get(3));
    }

    private record Result(int code, String out, String err) {}

    private Process start(Path checkout, String... args) throws IOException {
        Path configFile = checkout.resolve("switchman.yaml");
        if (!Files.exists(configFile)) {
            Files.writeString(configFile, config());
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of("-c", configFile.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(checkout.toFile())
                .redirectError(dir.resolve(checkout.getFileName() + "-" + args[0] + ".log").toFile());
        builder.environment().put(HostState.HOME_ENV, host.toString());
        // As a CD runner starts a job's steps: with its tracking variables and a password in the environment.
        builder.environment().put("RUNNER_TRACKING_ID", TRACKING);
        builder.environment().put("BUILD_ID", TRACKING);
        builder.environment().put("PGPASSWORD", PASSWORD);
        return builder.start();
    }

    private Result run(Path checkout, String... args) throws Exception {
        Process process = start(checkout, args);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(dir.resolve(checkout.getFileName() + "-" + args[0] + ".log"));
        return new Result(process.exitValue(), out, err);
    }

    private static JsonObject json(Result result) {
        return new JsonObject(result.out().strip());
    }
}
