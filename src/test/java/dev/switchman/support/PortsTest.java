package dev.switchman.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A port handed to one server is never handed to another, and never one the kernel picks for a server that listens
 * on port 0 or for an outgoing connection: two of a test's servers drew the same port before.
 */
class PortsTest {
    @Test
    void portsAreNeverHandedOutTwiceNorFromTheKernelsEphemeralRange() throws Exception {
        String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+");
        int low = Integer.parseInt(range[0]);
        int high = Integer.parseInt(range[1]);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            int port = Ports.free();
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
            assertThat(port < low || port > high).as("port %d outside the ephemeral range %d-%d", port, low, high).isTrue();
        }
        // The kernel's own choice for port 0 never lands on a port handed out.
        for (int i = 0; i < 200; i++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                assertThat(seen).doesNotContain(socket.getLocalPort());
            }
        }
    }
}
