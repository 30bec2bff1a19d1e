package dev.switchman.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.config.LoadedConfig;
import dev.switchman.spi.Kinds;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {

    @Test
    void theStarterConfigNamesTheApplicationAndKeepsThePlaceholdersItExplains(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("switchman.yaml");
        CliRun run = CliRun.of("init", "-c", config.toString(), "--application", "shop");
        assertThat(run.exitCode()).as(run.stderr()).isZero();

        String text = Files.readString(config);
        assertThat(text).containsPattern("(?m)^application: shop$");
        // The comment that lists what platform.command may use must still say {app}, not the name.
        assertThat(text).containsPattern("(?m)^\\s*#.*Placeholders:.*\\{app}");
        assertThat(text).doesNotContain("__APPLICATION__");
        LoadedConfig loaded = Kinds.loadConfig(config);
        assertThat(loaded.application()).isEqualTo("shop");

        String changelog = Files.readString(dir.resolve("db").resolve("changelog.xml"));
        assertThat(changelog).contains("shop's schema changes").doesNotContain("__APPLICATION__");
    }

    @Test
    void theApplicationIsNamedAfterTheDirectoryByDefault(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("Billing Service").resolve("switchman.yaml");
        Files.createDirectories(config.getParent());
        assertThat(CliRun.of("init", "-c", config.toString()).exitCode()).isZero();
        assertThat(Kinds.loadConfig(config).application()).isEqualTo("billing-service");
    }
}
