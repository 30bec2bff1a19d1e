package dev.switchman.api;

import dev.switchman.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where {@code switchman serve} listens and the bearer token its API asks for. Without a token it serves only on
 * the loopback interface: anyone who reaches the API can release and roll back.
 */
public record ApiOptions(String host, int port, Optional<String> token) {

    public ApiOptions {
        if (port < 0 || port > 65535) {
            throw new ConfigException("--listen: port " + port + " is outside 0-65535");
        }
        if (token.isPresent() && token.get().isBlank()) {
            throw new ConfigException("the API token is empty: set SWITCHMAN_API_TOKEN or --token-file to a secret");
        }
        if (token.isEmpty() && !loopback(host)) {
            throw new ConfigException("serving on " + host + " needs a token: set SWITCHMAN_API_TOKEN or --token-file"
                    + " (without one, serve only on 127.0.0.1)");
        }
    }

    /** {@code host:port}, or {@code port} alone for the loopback interface. */
    public static ApiOptions parse(String listen, Optional<String> token) {
        int colon = listen.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : listen.substring(0, colon);
        String port = colon < 0 ? listen : listen.substring(colon + 1);
        try {
            return new ApiOptions(host, Integer.parseInt(port), token);
        } catch (NumberFormatException e) {
            throw new ConfigException("--listen " + listen + ": expected host:port, e.g. 127.0.0.1:8480");
        }
    }

    static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException("--listen: unknown host " + host);
        }
    }
}
