package dev.switchman.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.config.LoadedConfig;
import dev.switchman.config.SwitchmanConfig;
import dev.switchman.health.http.HttpHealthSettings;
import dev.switchman.platform.process.ProcessSettings;
import dev.switchman.spi.Kinds;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import liquibase.changelog.ChangeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped changelogs and configs, read the way Switchman reads them: no database needed. */
class ChangelogsTest {
    private static final Set<String> LABELS = Set.of("expand", "contract");

    @ParameterizedTest
    @ValueSource(strings = {"demo/v1/changelog.xml", "demo/v2/changelog.xml", "demo/v3/changelog.xml",
            "apps/greeter/db/1.0.0.sql", "apps/greeter/db/2.0.0.sql"})
    void everyChangeSetHasExactlyOneLabelAndEveryExpandARollback(String changelog) throws Exception {
        List<ChangeSet> changeSets = Liquibases.changeSets(changelog);
        assertThat(changeSets).isNotEmpty();
        for (ChangeSet changeSet : changeSets) {
            assertThat(labels(changeSet)).as("labels of %s", changeSet.getId()).hasSize(1).isSubsetOf(LABELS);
            if (labels(changeSet).contains("expand")) {
                assertThat(changeSet.getRollback().getChanges()).as("rollback of %s", changeSet.getId()).isNotEmpty();
            }
        }
    }

    @Test
    void eachDemoVersionCarriesTheFullHistoryUnderOneIdentity() throws Exception {
        List<String> v1 = identities("demo/v1/changelog.xml");
        List<String> v2 = identities("demo/v2/changelog.xml");
        List<String> v3 = identities("demo/v3/changelog.xml");
        assertThat(v2).startsWith(v1.toArray(String[]::new)).hasSizeGreaterThan(v1.size());
        assertThat(v3).startsWith(v2.toArray(String[]::new)).hasSizeGreaterThan(v2.size());
        assertThat(v1).allSatisfy(id -> assertThat(id).startsWith("demo/changelog.xml::"));
        // Same changes, so same checksums: an earlier version's applied changesets stay valid.
        assertThat(checksums("demo/v3/changelog.xml")).containsAllEntriesOf(checksums("demo/v2/changelog.xml"));
        assertThat(checksums("demo/v2/changelog.xml")).containsAllEntriesOf(checksums("demo/v1/changelog.xml"));
        assertThat(checksums("apps/greeter/db/2.0.0.sql")).containsAllEntriesOf(checksums("apps/greeter/db/1.0.0.sql"));
        assertThat(labelsById("demo/v2/changelog.xml")).containsExactly(
                Map.entry("v1-1-create-items", "expand"),
                Map.entry("v2-1-add-title", "expand"),
                Map.entry("v2-2-sync-function", "expand"),
                Map.entry("v2-3-sync-trigger", "expand"),
                Map.entry("v2-4-backfill-title", "expand"),
                Map.entry("v2-5-drop-name", "contract"));
    }

    @Test
    void theUnlabelledChangeSetIsVisible() throws Exception {
        List<ChangeSet> changeSets = Liquibases.changeSets("apps/greeter/db/broken-unlabelled.sql");
        assertThat(changeSets).filteredOn(cs -> labels(cs).isEmpty()).extracting(ChangeSet::getId).containsExactly("2");
    }

    @Test
    void malformedXmlDoesNotParse() {
        assertThatThrownBy(() -> Liquibases.changeSets("apps/greeter/db/broken-syntax.xml"))
                .hasStackTraceContaining("broken-syntax.xml");
    }

    @Test
    void theDemoConfigUsesTheConfigRecordsKeys() throws Exception {
        Path file = resource("demo/switchman.yaml");
        SwitchmanConfig config = Kinds.loadConfig(file).config();
        assertThat(config.application()).isEqualTo("demo");
        assertThat(config.changelog()).isEqualTo("classpath:demo/{version}/changelog.xml");
        assertThat(config.database().isEmbedded()).isTrue();
        assertThat(config.platform().settings(ProcessSettings.class).command()).containsExactly("{java}", "-Xmx64m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", "{switchman.jar}", "dev.switchman.demo.DemoApp");
        assertThat(config.platform().settings(ProcessSettings.class).env()).containsOnly(
                Map.entry("PORT", "{port}"), Map.entry("APP_VERSION", "{version}"), Map.entry("DB_URL", "{db.url}"),
                Map.entry("DB_USER", "{db.user}"), Map.entry("DB_PASSWORD_ENV", "{db.passwordEnv}"));
        HttpHealthSettings health = config.health().settings(HttpHealthSettings.class);
        assertThat(health.jsonField()).isEqualTo("version");
        assertThat(health.expectValue()).isEqualTo("{version}");
        assertThat(health.successes()).isEqualTo(3);
        assertThat(health.interval()).hasMillis(200);
        assertThat(health.deadline()).hasSeconds(10);
    }

    @Test
    void theGreeterConfigLoadsWithItsStrategy() throws Exception {
        LoadedConfig loaded = Kinds.loadConfig(resource("apps/greeter/switchman.yaml"));
        assertThat(loaded.application()).isEqualTo("greeter");
        assertThat(loaded.config().platform().settings(ProcessSettings.class).command()).containsExactly("python3", "greeter.py");
        assertThat(loaded.resolve(loaded.config().platform().settings(ProcessSettings.class).workingDir()).resolve("greeter.py")).exists();
        assertThat(loaded.resolve(loaded.config().changelog().replace("{version}", "2.0.0"))).exists();
        assertThat(loaded.config().health().settings(HttpHealthSettings.class).jsonField()).isEqualTo("version");
        assertThat(loaded.strategy().name()).isEqualTo("blue-green");
    }

    static Path resource(String name) throws Exception {
        return Path.of(ChangelogsTest.class.getClassLoader().getResource(name).toURI());
    }

    private static Set<String> labels(ChangeSet changeSet) {
        return changeSet.getLabels() == null || changeSet.getLabels().getLabels() == null
                ? Set.of() : changeSet.getLabels().getLabels();
    }

    private static List<String> identities(String changelog) throws Exception {
        return Liquibases.changeSets(changelog).stream()
                .map(cs -> cs.getFilePath() + "::" + cs.getId() + "::" + cs.getAuthor()).toList();
    }

    private static Map<String, String> checksums(String changelog) throws Exception {
        return Liquibases.changeSets(changelog).stream().collect(Collectors.toMap(
                cs -> cs.getFilePath() + "::" + cs.getId(), cs -> cs.generateCheckSum(
                        liquibase.ChecksumVersion.latest()).toString()));
    }

    private static Map<String, String> labelsById(String changelog) throws Exception {
        return Liquibases.changeSets(changelog).stream().collect(Collectors.toMap(
                ChangeSet::getId, cs -> String.join(",", labels(cs)), (a, b) -> a, LinkedHashMap::new));
    }
}
