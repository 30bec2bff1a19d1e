package dev.switchman.traffic.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which peers {@code router.trustedProxies} trusts: addresses as the router's connections report them. */
class BuiltinRouterTrustedProxiesTest {

    private final TrustedProxies trusted = TrustedProxies.parse(
            List.of("127.0.0.1", "10.0.0.0/8", "192.168.1.128/25", "fd00::/8", "2001:db8:0:1::5"));

    @Test
    void matchesAddressesAndBlocks() {
        assertThat(trusted.contains("127.0.0.1")).isTrue();
        assertThat(trusted.contains("10.255.3.4")).isTrue();
        assertThat(trusted.contains("192.168.1.128")).isTrue();
        assertThat(trusted.contains("192.168.1.255")).isTrue();
        assertThat(trusted.contains("fd12:3456::1")).isTrue();
        assertThat(trusted.contains("2001:db8:0:1:0:0:0:5")).isTrue();
    }

    @Test
    void refusesEveryoneElse() {
        assertThat(trusted.contains("127.0.0.2")).isFalse();
        assertThat(trusted.contains("11.0.0.1")).isFalse();
        assertThat(trusted.contains("192.168.1.127")).isFalse();
        assertThat(trusted.contains("fe80:0:0:0:0:0:0:1%lo")).isFalse();
        assertThat(trusted.contains("2001:db8:0:1:0:0:0:6")).isFalse();
        assertThat(trusted.contains("0:0:0:0:0:0:0:1")).isFalse();
        assertThat(trusted.contains(null)).isFalse();
        assertThat(trusted.contains("not-an-address")).isFalse();
    }

    @Test
    void nobodyIsTrustedByDefaultAndEverybodyByTheWholeRange() {
        assertThat(TrustedProxies.parse(List.of()).contains("127.0.0.1")).isFalse();
        assertThat(TrustedProxies.parse(List.of("0.0.0.0/0")).contains("203.0.113.7")).isTrue();
        assertThat(TrustedProxies.parse(List.of("0.0.0.0/0")).contains("255.255.255.255")).isTrue();
        assertThat(TrustedProxies.parse(List.of("::/0")).contains("2001:db8:0:0:0:0:0:1")).isTrue();
    }
}
