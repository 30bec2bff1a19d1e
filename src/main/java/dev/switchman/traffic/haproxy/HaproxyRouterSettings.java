package dev.switchman.traffic.haproxy;

import dev.switchman.config.Durations;
import dev.switchman.config.KindSettings;
import dev.switchman.config.Ports;
import dev.switchman.model.Colour;
import java.time.Duration;

/**
 * {@code router} for {@code type: haproxy}: HAProxy's stats socket (a unix socket path, or {@code host:port} of a
 * {@code stats socket ipv4@...}), the backend in front of the application, the server in it for each colour, and how
 * long a drain (or a raised server's coming up) may take.
 */
public record HaproxyRouterSettings(String socket, String backend, Servers servers, Duration drainTimeout)
        implements KindSettings {

    /** The server of each colour in {@link #backend}. */
    public record Servers(String blue, String green) {
        public Servers {
            blue = name("router.servers.blue", blue);
            green = name("router.servers.green", green);
            if (blue.equals(green)) {
                throw new IllegalArgumentException("router.servers.blue and router.servers.green are both '" + blue
                        + "': each colour needs its own server");
            }
        }

        public String of(Colour colour) {
            return colour == Colour.BLUE ? blue : green;
        }
    }

    public HaproxyRouterSettings {
        if (socket == null || socket.isBlank()) {
            throw new IllegalArgumentException("router.socket is required: the path of HAProxy's stats socket, or "
                    + "host:port of a 'stats socket ipv4@host:port level admin'");
        }
        socket = socket.trim();
        if (!isPath(socket)) {
            socket = socket.startsWith("ipv4@") ? socket.substring("ipv4@".length()) : socket;
            int colon = socket.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("router.socket '" + socket + "' is neither a path (of a unix socket) "
                        + "nor host:port");
            }
            try {
                Ports.check("router.socket", Integer.parseInt(socket.substring(colon + 1)), 0);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("router.socket '" + socket + "' is neither a path (of a unix socket) "
                        + "nor host:port");
            }
        }
        backend = name("router.backend", backend);
        if (servers == null) {
            throw new IllegalArgumentException("router.servers is required: the HAProxy server of each colour "
                    + "(servers.blue, servers.green) in backend '" + backend + "'");
        }
        drainTimeout = Durations.positive("router.drainTimeout", drainTimeout, Duration.ofSeconds(30));
    }

    /** A unix socket: a path, as HAProxy's {@code stats socket} takes it (also {@code unix@/path}). */
    public boolean unixSocket() {
        return isPath(socket);
    }

    /** The unix socket's path, without a {@code unix@} prefix. */
    public String socketPath() {
        return socket.startsWith("unix@") ? socket.substring("unix@".length()) : socket;
    }

    private static boolean isPath(String socket) {
        return socket.startsWith("/") || socket.startsWith("./") || socket.startsWith("unix@");
    }

    private static String name(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is required");
        }
        String name = value.trim();
        // HAProxy's names are single words; a space or a slash would change the runtime API command it goes into.
        if (!name.matches("[A-Za-z0-9_.:-]+")) {
            throw new IllegalArgumentException(key + " '" + value + "' is not an HAProxy name (letters, digits, '-', '_', '.', ':')");
        }
        return name;
    }
}
