package dev.switchman.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.ExitCode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchman lint} as a person and a CI job run it: no database, exit 2 on a finding, three formats. */
class LintCommandTest {
    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void app() throws IOException {
        config = Files.writeString(dir.resolve("switchman.yaml"), """
                application: shop
                stateDir: state
                changelog: db/{version}/changelog.sql
                platform:
                  command: ["python3", "app.py"]
                lint:
                  accept:
                    - { change: truncate, rule: truncate, reason: "orders is a scratch table here" }
                """);
        Files.createDirectories(dir.resolve("db/v2"));
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("lint/unsafe.sql")) {
            Files.copy(in, dir.resolve("db/v2/changelog.sql"));
        }
    }

    @Test
    void findingsAreExitTwoWithTheRuleTheLineAndTheSafeWay() {
        CliRun run = CliRun.of("lint", "v2", "-c", config.toString());

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.stdout()).contains(dir.resolve("db/v2/changelog.sql") + ":14: [drop-column] change drop-column (corpus)")
                .contains("safe way:")
                .contains("accepted [truncate]").contains("accepted because: orders is a scratch table here");
        assertThat(dir.resolve("state")).as("nothing written, no database started").doesNotExist();
    }

    @Test
    void githubAnnotationsAndJson() {
        CliRun github = CliRun.of("lint", "v2", "--format", "github", "-c", config.toString());
        assertThat(github.stdout().lines()).isNotEmpty().allMatch(l -> l.startsWith("::error file="));
        assertThat(github.stdout()).doesNotContain("truncate");

        CliRun json = CliRun.of("lint", "v2", "--json", "-c", config.toString());
        JsonObject report = new JsonObject(json.stdout().strip());
        assertThat(report.getInteger("exitCode")).isEqualTo(ExitCode.BAD_INPUT).isEqualTo(json.exitCode());
        assertThat(report.getJsonArray("findings").stream().map(f -> ((JsonObject) f).getString("rule")))
                .contains("drop-column", "unparsable-sql", "unrecognised-statement");
    }

    @Test
    void aSafeChangelogPasses() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("lint/safe.sql")) {
            Files.copy(in, dir.resolve("safe.sql"));
        }
        CliRun run = CliRun.of("lint", "--changelog", dir.resolve("safe.sql").toString(), "-c", config.toString());

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stdout()).contains("0 finding(s), 1 accepted");
    }
}
