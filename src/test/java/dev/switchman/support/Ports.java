package dev.switchman.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Free TCP ports for servers a test starts, so tests run beside anything else on the machine. */
public final class Ports {
    private Ports() {}

    /** A port nothing listens on now (the kernel's choice; free until someone else takes it). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
