package dev.switchman.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.config.LoadedConfig;
import dev.switchman.config.Placeholders;
import dev.switchman.config.StrategyConfig;
import dev.switchman.config.SwitchmanConfig;
import dev.switchman.db.DatabaseInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The placeholders every slot shares, and what making them costs a command that never starts a slot. */
class ProviderContextTest {
    @TempDir
    Path dir;

    @Test
    void theJarIsCopiedIntoTheStateOnlyWhenATemplateNamesIt() throws Exception {
        Path jar = Files.writeString(dir.resolve("switchman-1.0.jar"), "not really a jar, but a file like one");
        Path state = dir.resolve("state");
        SwitchmanConfig config = new SwitchmanConfig("shop", state.toString(), null, null, null, null, null, null, null);
        LoadedConfig loaded = new LoadedConfig(dir.resolve("switchman.yaml"), config, StrategyConfig.blueGreen(Duration.ZERO));
        String before = System.getProperty("switchman.classpath");
        System.setProperty("switchman.classpath", jar.toString());
        try {
            Placeholders placeholders = ProviderContext.basePlaceholders(loaded, new DatabaseInfo("localhost", 5432, "shop", "shop", null));
            // status, history and plan build these too: they must not leave a copy of the jar behind.
            assertThat(state.resolve("lib")).doesNotExist();
            assertThat(placeholders.expand("{app} on {db.port}")).isEqualTo("shop on 5432");
            assertThat(state.resolve("lib")).doesNotExist();

            Path copy = Path.of(placeholders.expand("{switchman.jar}"));
            assertThat(copy.getParent()).isEqualTo(state.resolve("lib"));
            assertThat(copy).hasSameTextualContentAs(jar);
            assertThat(placeholders.with(Map.of("port", "1")).expand("{switchman.jar}")).isEqualTo(copy.toString());
        } finally {
            if (before == null) {
                System.clearProperty("switchman.classpath");
            } else {
                System.setProperty("switchman.classpath", before);
            }
        }
    }
}
