package dev.switchman.traffic.nginx;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.config.ConfigException;
import dev.switchman.traffic.TrafficTarget;
import dev.switchman.traffic.Upstream;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the nginx router refuses: it names the key or nginx's own message, and leaves every file as it was. */
class NginxRouterBadInputTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private Upstream blue;
    private Upstream green;
    private NginxServer nginx;
    private NginxRouter router;

    @BeforeEach
    void start() throws IOException {
        NginxServer.assumeInstalled();
        vertx = Vertx.vertx();
        blue = Upstream.start(vertx, "blue");
        green = Upstream.start(vertx, "green");
        nginx = NginxServer.prepare(dir.resolve("nginx"));
        router = router(nginx.settings());
        nginx.start(router.files());
    }

    @AfterEach
    void stop() {
        if (nginx != null) {
            nginx.stop();
        }
        if (vertx != null) {
            await(vertx.close());
        }
    }

    @Test
    void anIncludeInADirectoryThatDoesNotExistIsRefusedNamingTheKey() {
        Path missing = dir.resolve("no-such-dir").resolve("app.conf");
        NginxRouter elsewhere = router(nginx.settings(missing.toString()));

        assertThatThrownBy(() -> await(elsewhere.setWeights(split(0))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.include")
                .hasMessageContaining(missing.getParent().toString());
        assertThat(missing.getParent()).doesNotExist();
        assertThat(nginx.weights).as("no weights written").doesNotExist();
    }

    @Test
    void aUserConfigThatFailsTheTestChangesNothingAndSaysWhatNginxSaid() throws IOException {
        await(router.setWeights(split(30)));
        String include = Files.readString(nginx.include);
        String weights = Files.readString(nginx.weights);
        nginx.breakUserConfig();

        Upstream otherGreen = Upstream.start(vertx, "green-b");
        TrafficTarget moved = TrafficTarget.split(BLUE, List.of(blue.endpoint()), List.of(otherGreen.endpoint()), 60);
        assertThatThrownBy(() -> await(router.setWeights(moved)))
                .hasMessageContaining("nginx -t")
                .hasMessageContaining("unknown directive \"no_such_directive\"");
        assertThatThrownBy(() -> await(router.setWeights(split(60))))
                .as("a weight change is refused too").hasMessageContaining("no_such_directive");

        assertThat(Files.readString(nginx.include)).as("the include").isEqualTo(include);
        assertThat(Files.readString(nginx.weights)).as("the weights").isEqualTo(weights);
        assertThat(await(router.verify(split(30)))).as("the old target still holds").isTrue();
    }

    @Test
    void anIncludeThatNginxRefusesIsTakenBackAndItsFileNamed() throws IOException {
        await(router.setWeights(split(30)));
        String include = Files.readString(nginx.include);
        String weights = Files.readString(nginx.weights);
        // A user config that defines the upstream Switchman's include defines too: only the new include fails.
        Files.writeString(nginx.dir.resolve("nginx.conf"), Files.readString(nginx.dir.resolve("nginx.conf"))
                .replace("    server {", "    upstream other_green { server 127.0.0.1:9; }\n    server {"));
        NginxRouter other = NginxRouterProvider.router(vertx, nginx.settings(), "other", dir, dir.resolve("nginx.log"),
                System.getenv(), Clock.systemUTC());

        assertThatThrownBy(() -> await(other.setWeights(split(60))))
                .hasMessageContaining(nginx.include.toString())
                .hasMessageContaining("duplicate upstream \"other_green\"");
        assertThat(Files.readString(nginx.include)).as("the previous include is back").isEqualTo(include);
        assertThat(Files.readString(nginx.weights)).as("the weights").isEqualTo(weights);
    }

    private TrafficTarget split(int greenWeight) {
        return TrafficTarget.split(BLUE, List.of(blue.endpoint()), List.of(green.endpoint()), greenWeight);
    }

    private NginxRouter router(NginxRouterSettings settings) {
        return NginxRouterProvider.router(vertx, settings, NginxServer.PREFIX, dir, dir.resolve("nginx.log"),
                System.getenv(), Clock.systemUTC());
    }
}
