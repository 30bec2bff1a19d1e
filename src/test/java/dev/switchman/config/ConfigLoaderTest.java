package dev.switchman.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.db.DatabaseInfo;
import dev.switchman.health.http.HttpHealthSettings;
import dev.switchman.model.Colour;
import dev.switchman.platform.process.ProcessSettings;
import dev.switchman.spi.Kinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void theShippedExampleLoadsWithEveryKey() {
        LoadedConfig loaded = Kinds.loadConfig(Path.of("config/switchman.example.yaml"));
        SwitchmanConfig c = loaded.config();
        assertThat(c.application()).isEqualTo("shop");
        assertThat(c.database().isEmbedded()).isFalse();
        assertThat(c.database().passwordEnv()).isEqualTo("SHOP_DB_PASSWORD");
        assertThat(c.platform().settings(ProcessSettings.class).port(Colour.GREEN)).isEqualTo(8082);
        assertThat(c.health().settings(HttpHealthSettings.class).jsonField()).isEqualTo("build.version");
        assertThat(loaded.strategy().name()).isEqualTo("progressive");
        assertThat(loaded.strategy().steps()).extracting(StrategyConfig.Step::weight).containsExactly(10, 50, 100);
        assertThat(loaded.strategy().configuredWaits()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void databaseUrlsKeepTheirParametersButNeverShowAPassword() {
        var db = DatabaseInfo.fromJdbcUrl("jdbc:postgresql://db.internal:5433/shop?sslmode=verify-full", "u", "P");
        assertThat(db.host()).isEqualTo("db.internal");
        assertThat(db.port()).isEqualTo(5433);
        assertThat(db.name()).isEqualTo("shop");
        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/shop?sslmode=verify-full");
        assertThatThrownBy(() -> new DatabaseConfig("jdbc:postgresql://h/db?user=u&password=s3cret", null, null, null))
                .hasMessageContaining("passwordEnv").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> new DatabaseConfig("postgres://u:s3cret@h/db", null, null, null))
                .hasMessageContaining("jdbc:postgresql").hasMessageNotContaining("s3cret");
    }

    @Test
    void theShippedStrategiesLoad() {
        assertThat(ConfigLoader.read(Path.of("strategies/blue-green.yaml"), StrategyConfig.class, "").bake())
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void mistakesNameTheFileAndTheKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\nrouter:\n  port: 99999\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("router.port");

        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\nstrategy: nope\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("strategy 'nope'");

        Files.writeString(file, "application: Shop!\nplatform:\n  command: [x]\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("application");

        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\nhealth:\n  interval: soon\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("'soon' is not a duration");

        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\n  ports: { blue: 8081, green: 8081 }\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("both 8081");

        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\nrouter:\n  port: 8081\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("port 8081 is both platform.ports.blue and router.port");

        Files.writeString(file, "application: shop\nplatform:\n\tcommand: [x]\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("not valid YAML");
    }

    @Test
    void eachKindReadsItsOwnSection(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "application: shop\nplatform:\n  type: process\n  command: [x]\n  comand: [y]\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("unknown key 'platform.comand' (line 5)")
                .hasMessageContaining("command").hasMessageContaining("type");

        Files.writeString(file, "application: shop\nplatform:\n  type: kubernetes\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("platform.type: unknown type 'kubernetes' (known: process)");

        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\nrouter:\n  type: builtin\n  adminPort: 0\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("router.adminPort must be a port");

        Files.writeString(file, "application: shop\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("platform.command is required");

        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\n");
        LoadedConfig defaults = Kinds.loadConfig(file);
        assertThat(defaults.config().router().type()).isEqualTo("builtin");
        assertThat(defaults.config().migrator().type()).isEqualTo("liquibase");
        assertThat(defaults.config().health().type()).isEqualTo("http");
    }

    @Test
    void aStrategyFileWithAnUnknownKeyIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("fast.yaml"), "name: fast\nsteps:\n  - weight: 100\nbake: 1s\nmaxErrorRte: 0.5\n");
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\nstrategy: fast.yaml\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(dir.resolve("fast.yaml").toString())
                .hasMessageContaining("unknown key 'maxErrorRte' (line 5)").hasMessageContaining("maxErrorRate");
    }
}
