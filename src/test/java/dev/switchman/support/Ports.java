package dev.switchman.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for servers a test starts, so tests run beside anything else on the machine.
 *
 * <p>A port is handed out once per test run, and from outside the kernel's ephemeral range: a port the kernel chose
 * for port 0 was free again when released, so it could be handed out twice, or chosen by the kernel for a server a
 * test listens with on port 0, before the slot meant for it started.
 */
public final class Ports {
    private static final int[] EPHEMERAL = ephemeralRange();
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {}

    /** A port nothing listens on now, not handed out before in this run, and not one the kernel picks itself. */
    public static synchronized int free() {
        int low = EPHEMERAL[0] > 20_000 ? 15_000 : EPHEMERAL[1] + 1;
        int high = EPHEMERAL[0] > 20_000 ? EPHEMERAL[0] - 1 : 65_535;
        int span = high - low + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = low + (start + i) % span;
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + low + " and " + high);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int[] ephemeralRange() {
        try {
            String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+");
            return new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[1])};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel's ephemeral port range", e);
        }
    }
}
