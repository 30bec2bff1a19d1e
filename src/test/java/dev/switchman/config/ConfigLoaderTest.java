package dev.switchman.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.db.DatabaseInfo;
import dev.switchman.health.http.HttpHealthSettings;
import dev.switchman.migration.command.CommandSettings;
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
        assertThat(loaded.strategy().shares()).containsExactly(5, 25, 50, 100);
        assertThat(loaded.strategy().configuredWaits()).isEqualTo(Duration.ofSeconds(150));
        assertThat(c.backup().command()).containsExactly("pg_dump", "-Fc", "-f", "{backup.file}");
        assertThat(c.backup().timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.metrics().pushgateway()).isEqualTo("http://pushgateway:9091");
        assertThat(c.metrics().textfile()).isEqualTo("/var/lib/prometheus/node-exporter/switchman-shop.prom");
        assertThat(c.notifications().urlEnv()).isEqualTo("SHOP_RELEASE_WEBHOOK");
        assertThat(c.notifications().events()).containsExactly("rolled-back", "act-now");
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
    void theCommandMigratorReadsItsCommands(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.yaml");
        String head = "application: shop\nplatform:\n  command: [x]\nmigrator:\n  type: command\n";
        Files.writeString(file, head + "  expand: [alembic, upgrade, \"{version}_expand\"]\n  contract: [alembic, upgrade, head]\n"
                + "  current: [alembic, current]\n  undoExpand: [alembic, downgrade, \"{schema.before}\"]\n"
                + "  plan:\n    expand: [alembic, upgrade, --sql, \"{schema.before}:{version}_expand\"]\n"
                + "  env: { ALEMBIC_CONFIG: \"{stateDir}/alembic.ini\" }\n  lockTimeout: 750ms\n");
        CommandSettings settings = Kinds.loadConfig(file).config().migrator().settings(CommandSettings.class);
        assertThat(settings.undoExpand()).containsExactly("alembic", "downgrade", "{schema.before}");
        assertThat(settings.plan().expand()).hasSize(4);
        assertThat(settings.plan().contract()).isEmpty();
        assertThat(settings.lockTimeout()).isEqualTo(Duration.ofMillis(750));

        Files.writeString(file, head + "  expand: [alembic, upgrade, head]\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("migrator.contract is required");

        Files.writeString(file, head + "  expand: [a]\n  contract: [b]\n  undo: [c]\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("unknown key 'migrator.undo' (line 8)")
                .hasMessageContaining("undoExpand");

        Files.writeString(file, head + "  expand: [a, \"{schema.before}\"]\n  contract: [b]\n  current: [c]\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("migrator.expand[1]: unknown placeholder {schema.before}");
    }

    @Test
    void theBackupSectionIsCheckedWhenTheConfigLoads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.yaml");
        String base = "application: shop\nplatform:\n  command: [x]\n";
        Files.writeString(file, base);
        assertThat(Kinds.loadConfig(file).config().backup()).as("no section, no backup").isNull();

        Files.writeString(file, base + "backup:\n  command: [pg_dump, -Fc, -f, '{backup.file}']\n");
        BackupConfig defaults = Kinds.loadConfig(file).config().backup();
        assertThat(defaults.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(defaults.dir()).isNull();
        assertThat(defaults.workingDir()).isEqualTo(".");
        assertThat(defaults.env()).isEmpty();

        Files.writeString(file, base + "backup:\n  command: [pg_dump, -d, '{db.libpqUrl}', -f, '{backup.dir}/{app}-{version}.dump']\n"
                + "  env: { PGAPPNAME: '{app}-backup' }\n  timeout: 2h\n");
        assertThat(Kinds.loadConfig(file).config().backup().timeout()).isEqualTo(Duration.ofHours(2));

        Files.writeString(file, base + "backup:\n  command: [pg_dump, -f, '{port}.dump']\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("backup.command[2]: unknown placeholder {port}").hasMessageContaining("backup.file");

        Files.writeString(file, base + "backup:\n  command: [pg_dump]\n  env: { X: '{colour}' }\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("backup.env.X: unknown placeholder {colour}");

        Files.writeString(file, base + "backup:\n  dir: /var/backups\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("backup.command is required");

        Files.writeString(file, base + "backup:\n  command: pg_dump -Fc\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("backup.command: expected a list (e.g. [\"pg_dump\", \"-Fc\"])");

        Files.writeString(file, base + "backup:\n  command: [pg_dump]\n  timeout: 0s\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("backup.timeout must be positive");

        Files.writeString(file, base + "backup:\n  command: [pg_dump]\n  comand: [pg_dump]\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).hasMessageContaining("unknown key 'backup.comand' (line 6)")
                .hasMessageContaining("command");
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

    @Test
    void aKeyWrittenTwiceIsRefusedWhereverItIs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.yaml");
        // The report: the second 'application' won, and another application was released.
        assertDuplicate(file, "application: shop\nplatform:\n  command: [x]\napplication: billing\n",
                "duplicate key 'application' at line 4 (first at line 1)");
        // A shared record's section.
        assertDuplicate(file, "application: shop\ndatabase:\n  url: embedded\n  url: jdbc:postgresql://h/db\nplatform:\n  command: [x]\n",
                "duplicate key 'database.url' at line 4 (first at line 3)");
        // A whole kind section, a kind's key, and keys deeper in it, in block and in flow style.
        assertDuplicate(file, "application: shop\nplatform:\n  command: [x]\nplatform:\n  command: [y]\n",
                "duplicate key 'platform' at line 4 (first at line 2)");
        assertDuplicate(file, "application: shop\nplatform:\n  command: [x]\n  command: [y]\n",
                "duplicate key 'platform.command' at line 4 (first at line 3)");
        assertDuplicate(file, "application: shop\nplatform:\n  command: [x]\n  ports:\n    blue: 9001\n    blue: 9002\n",
                "duplicate key 'platform.ports.blue' at line 6 (first at line 5)");
        assertDuplicate(file, "application: shop\nplatform:\n  command: [x]\n  env: { PORT: '{port}', PORT: '1' }\n",
                "duplicate key 'platform.env.PORT' at line 4 (first at line 4)");
        assertDuplicate(file, "application: shop\nplatform:\n  command: [x]\nhealth:\n  successes: 3\n  interval: 1s\n  successes: 1\n",
                "duplicate key 'health.successes' at line 7 (first at line 5)");
        assertDuplicate(file, "application: shop\nplatform:\n  command: [x]\nrouter:\n  type: builtin\n  type: builtin\n",
                "duplicate key 'router.type' at line 6 (first at line 5)");
    }

    @Test
    void aStrategyWithAKeyWrittenTwiceIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\nstrategy: fast.yaml\n");
        Path strategy = dir.resolve("fast.yaml");
        Files.writeString(strategy, "name: fast\nsteps:\n  - weight: 100\nbake: 1s\nbake: 0s\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(strategy.toString()).hasMessageContaining("duplicate key 'bake' at line 5 (first at line 4)");

        Files.writeString(strategy, "name: fast\nsteps:\n  - weight: 50\n  - weight: 100\n    weight: 10\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(strategy.toString()).hasMessageContaining("duplicate key 'steps[1].weight' at line 5 (first at line 4)");
    }

    private static void assertDuplicate(Path file, String yaml, String expected) throws Exception {
        Files.writeString(file, yaml);
        assertThatThrownBy(() -> Kinds.loadConfig(file)).as(yaml).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(expected);
    }

    @Test
    void aFileThatIsNotAMappingSaysWhatAConfigIs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.yaml");
        for (String empty : new String[] {"", "# nothing yet\n", "---\n", "~\n"}) {
            Files.writeString(file, empty);
            assertThatThrownBy(() -> Kinds.loadConfig(file)).as(empty).isInstanceOf(ConfigException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("the file is empty")
                    .hasMessageContaining("application").hasMessageNotContaining("end-of-input");
        }

        Files.writeString(file, "- application: shop\n- platform:\n    command: [x]\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("expected a mapping (keys: application, stateDir, database, changelog, migrator, platform,"
                        + " router, health, strategy, lint, backup, metrics, notify) at the top of the file, got a list (line 1)")
                .hasMessageNotContaining("START_ARRAY");

        Files.writeString(file, "shop\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("at the top of the file, got a text ('shop') (line 1)");

        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\nstrategy: fast.yaml\n");
        Path strategy = dir.resolve("fast.yaml");
        Files.writeString(strategy, "");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(strategy.toString()).hasMessageContaining("the file is empty").hasMessageContaining("steps");
        Files.writeString(strategy, "- weight: 100\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(strategy.toString())
                .hasMessageContaining("expected a mapping (keys: name, steps, bake, maxErrorRate, analysis, approveContract) at the top of the file, got a list (line 1)");
    }

    @Test
    void aValueOfTheWrongTypeSaysWhatTheKeyTakes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.yaml");
        assertWrongType(file, "application: shop\nplatform:\n  command: [x]\n  ports:\n    blue: [1]\n",
                "platform.ports.blue: expected a whole number, got a list (line 5)");
        assertWrongType(file, "application: shop\nplatform:\n  command: [x]\nhealth:\n  successes: many\n",
                "health.successes: expected a whole number, got a text ('many') (line 5)");
        // Not cut to 80 without a word.
        assertWrongType(file, "application: shop\nplatform:\n  command: [x]\nrouter:\n  port: 80.5\n",
                "router.port: expected a whole number, got a number (80.5) (line 5)");
        assertWrongType(file, "application: shop\nplatform:\n  command: python3 app.py\n",
                "platform.command: expected a list (e.g. [\"python3\", \"app.py\"]), got a text ('python3 app.py') (line 3)");
        assertWrongType(file, "application: shop\nplatform:\n  command: [x]\n  env: PORT\n",
                "platform.env: expected a mapping (one 'key: value' each), got a text ('PORT') (line 4)");
        assertWrongType(file, "application: shop\nplatform:\n  command: [x]\nhealth:\n  interval: [1s]\n",
                "health.interval: expected a duration (e.g. 500ms, 30s, 2m), got a list (line 5)");
        assertWrongType(file, "application: shop\nplatform:\n  command: [x]\nmigrator:\n  undoExpand: [no]\n",
                "migrator.undoExpand: expected true or false, got a list (line 5)");
        assertWrongType(file, "application: shop\nplatform:\n  command: [x]\nrouter: 5\n",
                "router: expected a mapping (the section's keys, indented under it), got a whole number (5) (line 4)");
        assertWrongType(file, "application: [shop]\nplatform:\n  command: [x]\n",
                "application: expected a text, got a list (line 1)");
        assertWrongType(file, "application: shop\ndatabase: embedded\nplatform:\n  command: [x]\n",
                "database: expected a mapping (keys: url, user, passwordEnv, name), got a text ('embedded') (line 2)");

        Files.writeString(file, "application: shop\nplatform:\n  command: [x]\nstrategy: fast.yaml\n");
        Path strategy = dir.resolve("fast.yaml");
        Files.writeString(strategy, "name: fast\nsteps: 100\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(strategy.toString()).hasMessageContaining("steps: expected a list, got a whole number (100) (line 2)");
        Files.writeString(strategy, "name: fast\nsteps: [100]\nmaxErrorRate: low\n");
        assertThatThrownBy(() -> Kinds.loadConfig(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("steps[0]: expected a mapping (keys: weight, pause, shift, analyse, approve), got a whole number (100) (line 2)");
    }

    private static void assertWrongType(Path file, String yaml, String expected) throws Exception {
        Files.writeString(file, yaml);
        assertThatThrownBy(() -> Kinds.loadConfig(file)).as(yaml).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(expected)
                .hasMessageNotContaining("Cannot deserialize").hasMessageNotContaining("Cannot construct");
    }
}
