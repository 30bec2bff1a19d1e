package dev.switchman.traffic.nginx;

import static dev.switchman.model.Colour.BLUE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.Endpoint;
import dev.switchman.traffic.TrafficTarget;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A first release's target names the other colour with weight 0 and no endpoint: its upstream points nowhere, and
 * the weights file reads back as that very target, so the router verifies what it wrote.
 */
class NginxFilesTest {
    private final NginxFiles files = new NginxFiles("shop", Path.of("/etc/nginx/switchman/shop.conf"),
            Path.of("/var/lib/switchman/shop.weights"));

    @Test
    void aFirstReleaseReadsBackAsWritten() {
        TrafficTarget first = TrafficTarget.all(BLUE, List.of(new Endpoint("127.0.0.1", 8081)), List.of());

        assertThat(NginxFiles.parseWeights(NginxFiles.weightsText(first), files.weights())).isEqualTo(first);
        assertThat(files.includeText(first))
                .contains("upstream shop_blue {\n    server 127.0.0.1:8081;\n    keepalive 16;\n}")
                .contains("upstream shop_green {\n    server 127.0.0.1:1 down;\n}");
    }

    @Test
    void noTargetReadsBackAsWritten() {
        assertThat(NginxFiles.parseWeights(NginxFiles.weightsText(TrafficTarget.none()), files.weights()))
                .isEqualTo(TrafficTarget.none());
    }
}
