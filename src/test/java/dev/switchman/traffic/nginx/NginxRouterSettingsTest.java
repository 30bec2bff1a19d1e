package dev.switchman.traffic.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NginxRouterSettingsTest {

    private static NginxRouterSettings of(String include, String weights, String prefix, String nginx, List<String> reload,
                                          List<String> test, Duration drain) {
        return new NginxRouterSettings(include, weights, prefix, nginx, reload, test, drain, null);
    }

    @Test
    void defaultsFollowTheBinary() {
        NginxRouterSettings s = of("/etc/nginx/switchman/shop.conf", "/var/lib/switchman/shop.weights", null,
                "/usr/sbin/nginx", null, null, null);
        assertThat(s.reloadCommand()).containsExactly("/usr/sbin/nginx", "-s", "reload");
        assertThat(s.testCommand()).containsExactly("/usr/sbin/nginx", "-t");
        assertThat(s.drainTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.pidFile()).isEqualTo("/run/nginx.pid");
        assertThat(s.upstreamPrefix()).as("the application's name, filled in by the provider").isNull();
    }

    @Test
    void eachMistakeNamesItsKey() {
        assertThatThrownBy(() -> of(null, "w", null, null, null, null, null)).hasMessageContaining("router.include");
        assertThatThrownBy(() -> of("a.conf", " ", null, null, null, null, null)).hasMessageContaining("router.weightsFile");
        assertThatThrownBy(() -> of("a.txt", "w", null, null, null, null, null)).hasMessageContaining("router.include must end in .conf");
        assertThatThrownBy(() -> of("a.conf", "w", "shop blue", null, null, null, null)).hasMessageContaining("router.upstreamPrefix");
        assertThatThrownBy(() -> of("a.conf", "w", null, null, List.of(), null, null)).hasMessageContaining("router.reloadCommand");
        assertThatThrownBy(() -> of("a.conf", "w", null, null, null, List.of(""), null)).hasMessageContaining("router.testCommand");
        assertThatThrownBy(() -> of("a.conf", "w", null, null, null, null, Duration.ofSeconds(-1))).hasMessageContaining("router.drainTime");
        assertThatThrownBy(() -> of("a.conf", "w", null, "", null, null, null)).hasMessageContaining("router.nginx");
    }
}
