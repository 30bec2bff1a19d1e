package dev.switchman.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchman.api.ApiOptions;
import dev.switchman.api.ApiServer;
import dev.switchman.model.Colour;
import dev.switchman.model.ExitCode;
import dev.switchman.release.Progress;
import dev.switchman.release.Wiring;
import dev.switchman.spi.Kinds;
import dev.switchman.support.Futures;
import dev.switchman.support.GreeterStack;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipelines in docs/ci: each one's commands, as the file has them, run by bash in a checkout-like directory
 * against a real stack (not the CI service itself). Switchman is this build's CLI in place of
 * {@code java -jar tools/switchman.jar}; what the CI service would fill in (the commit, secrets, substitutions)
 * is given as the service would.
 */
class CiExamplesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String JAR = "java -jar tools/switchman.jar";
    private static final String CHANGELOG = """
            --liquibase formatted sql
            --changeset greeter:1 labels:expand
            create table greetings (id serial primary key, name text);
            --rollback drop table greetings;
            """;

    @TempDir
    Path dir;
    GreeterStack stack;
    Path switchman;

    @BeforeEach
    void setUp() throws Exception {
        stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100));
        stack.startRouter();
        for (String v : List.of("v1", "v2", "v3", "v4", "v5")) {
            stack.changelog(v, CHANGELOG);
        }
        assertThat(stack.cli("release", "v1").exitCode()).isEqualTo(ExitCode.RELEASED);
        String java = ProcessHandle.current().info().command().orElse("java");
        switchman = dir.resolve("switchman-cli");
        Files.writeString(switchman, "#!/bin/sh\nexec '" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                + Main.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(switchman, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() throws Exception {
        stack.close();
    }

    @Test
    void theGithubActionsWorkflowReleasesAndAnnotatesARollback() throws Exception {
        JsonNode job = YAML.readTree(Path.of("docs/ci/github-actions.yml").toFile()).get("jobs").get("release");
        assertThat(job.get("env").get("SWITCHMAN").asText()).isEqualTo(JAR);
        List<String> runs = new ArrayList<>();
        job.get("steps").forEach(step -> {
            if (step.has("run")) {
                runs.add(step.get("run").asText());
            }
        });
        assertThat(runs).hasSize(3);
        Path summary = dir.resolve("step-summary.md");
        Map<String, String> env = Map.of("GITHUB_ACTIONS", "true", "GITHUB_STEP_SUMMARY", summary.toString());

        for (String run : runs) {
            Result r = bash(run, with(env, "VERSION", "v2"));
            assertThat(r.code).as(run + "\n" + r.output).isZero();
        }
        assertThat(new JsonObject(Files.readString(dir.resolve("release.json")).strip()).getString("state")).isEqualTo("RELEASED");
        assertThat(Files.readString(summary)).contains("### greeter v2 released").containsPattern("\\| contract \\| run \\| passed \\| \\d+ \\|");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v2");

        // The new version never gets healthy: the release step exits 1 with an error annotation naming the gate.
        stack.fault(Colour.BLUE, "unhealthy", true);
        Result failed = bash(runs.getLast(), with(env, "VERSION", "v3"));
        assertThat(failed.code).as(failed.output).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(failed.output).contains("::error title=switchman%3A greeter v3 not released::greeter v3 rolled back at gate")
                .contains("rolled back: the summary says at which gate and why");
        assertThat(Files.readString(summary)).contains("### greeter v3 rolled back");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v2");
    }

    @Test
    void theGitlabJobReleasesInCollapsibleSections() throws Exception {
        JsonNode job = YAML.readTree(Path.of("docs/ci/gitlab-ci.yml").toFile()).get("release");
        JsonNode variables = job.get("variables");
        assertThat(variables.get("SWITCHMAN").asText()).isEqualTo(JAR);
        assertThat(variables.get("VERSION").asText()).isEqualTo("$CI_COMMIT_SHORT_SHA");
        // GitLab runs the script's lines in one shell, stopping at the first that fails.
        StringBuilder script = new StringBuilder("set -e\n");
        job.get("script").forEach(line -> script.append(line.asText()).append('\n'));
        Result r = bash(script.toString(), Map.of("GITLAB_CI", "true", "CI_COMMIT_SHORT_SHA", "v4", "VERSION", "v4"));
        assertThat(r.code).as(r.output).isZero();
        assertThat(r.output).containsPattern("\u001b\\[0Ksection_start:\\d+:switchman_contract\\[collapsed=false]\r\u001b\\[0Kcontract")
                .containsPattern("\u001b\\[0Ksection_end:\\d+:switchman_contract\r");
        assertThat(new JsonObject(Files.readString(dir.resolve("release.json")).strip()).getString("state")).isEqualTo("RELEASED");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v4");
    }

    @Test
    void theCloudBuildStepReleasesThroughTheServer() throws Exception {
        JsonNode build = YAML.readTree(Path.of("docs/ci/cloudbuild.yaml").toFile());
        JsonNode step = build.get("steps").get(0);
        assertThat(step.get("secretEnv").get(0).asText()).isEqualTo("SWITCHMAN_API_TOKEN");
        String script = step.get("args").get(1).asText();
        assertThat(script).contains(JAR);
        String token = "cloud-build-token";
        try (Wiring wiring = Wiring.open(Kinds.loadConfig(stack.config))) {
            ApiServer api = Futures.await(ApiServer.start(wiring, new ApiOptions("127.0.0.1", 0, Optional.of(token)), Progress.NONE));
            try {
                // Cloud Build's substitutions, then "$$" for the shell's own "$".
                String substituted = script.replace("$SHORT_SHA", "v5").replace("$_SWITCHMAN_SERVER", "http://127.0.0.1:" + api.port())
                        .replace("$$", "$").replace(JAR, "'" + switchman + "'");
                Result r = bash(substituted, Map.of("SWITCHMAN_API_TOKEN", token));
                assertThat(r.code).as(r.output).isZero();
                assertThat(r.output).containsPattern("contract +passed").contains("\"state\":\"RELEASED\"");
            } finally {
                Futures.await(api.stop("the test ended"));
            }
        }
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v5");
    }

    private Map<String, String> with(Map<String, String> env, String key, String value) {
        Map<String, String> all = new HashMap<>(env);
        all.put(key, value);
        return all;
    }

    record Result(int code, String output) {}

    /** Runs {@code script} with bash in the stack's directory (its switchman.yaml is the default config there). */
    private Result bash(String script, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-e", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("SWITCHMAN", switchman.toString());
        builder.environment().remove("GITHUB_ACTIONS");
        builder.environment().remove("GITLAB_CI");
        builder.environment().putAll(env);
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
