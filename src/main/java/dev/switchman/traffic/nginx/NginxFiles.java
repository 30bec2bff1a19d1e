package dev.switchman.traffic.nginx;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The text of the three files Switchman keeps for nginx: the include (one upstream per colour, one that answers
 * nothing, and the {@code js_set}), the script beside it, and the weights file the script reads. The include holds
 * endpoints only, so a weight change leaves it as it is and needs no reload.
 */
final class NginxFiles {
    /** The variable the user's {@code proxy_pass http://<prefix>_$switchman_colour;} names. */
    static final String VARIABLE = "switchman_colour";
    /** A server nginx never sends to: an upstream must name one, and a colour may have no endpoint yet. */
    private static final String NOWHERE = "server 127.0.0.1:1 down;";
    private static final String SCRIPT = resource("/nginx/switchman.js");

    private final String prefix;
    private final Path include;
    private final Path script;
    private final Path weights;

    NginxFiles(String prefix, Path include, Path weights) {
        this.prefix = prefix;
        this.include = include.toAbsolutePath().normalize();
        String name = this.include.getFileName().toString();
        this.script = this.include.resolveSibling(name.substring(0, name.length() - ".conf".length()) + ".js");
        this.weights = weights.toAbsolutePath().normalize();
    }

    Path include() {
        return include;
    }

    Path script() {
        return script;
    }

    Path weights() {
        return weights;
    }

    /** The include for {@code target}'s endpoints; its weights play no part. */
    String includeText(TrafficTarget target) {
        String module = "switchman_" + prefix.replaceAll("[^A-Za-z0-9_]", "_");
        StringBuilder text = new StringBuilder("# Written by Switchman for ").append(prefix)
                .append(": replaced on every endpoint change, do not edit.\n");
        for (Colour colour : Colour.values()) {
            List<Endpoint> endpoints = target.endpoints(colour);
            text.append("upstream ").append(prefix).append('_').append(colour.id()).append(" {\n");
            for (Endpoint endpoint : endpoints) {
                text.append("    server ").append(address(endpoint)).append(";\n");
            }
            text.append(endpoints.isEmpty() ? "    " + NOWHERE + "\n" : "    keepalive 16;\n").append("}\n");
        }
        // The colour of a request when no colour has weight: nginx answers 502.
        text.append("upstream ").append(prefix).append("_none {\n    ").append(NOWHERE).append("\n}\n");
        text.append("js_import ").append(module).append(" from ").append(quoted(script.toString())).append(";\n");
        text.append("js_set $").append(VARIABLE).append(' ').append(module).append(".colour;\n");
        return text.toString();
    }

    String scriptText() {
        return SCRIPT.replace("@WEIGHTS_FILE@", Json.encode(weights.toString()));
    }

    /** The weights the script reads, with the endpoints beside them so that the file alone says the target. */
    static String weightsText(TrafficTarget target) {
        JsonObject json = new JsonObject();
        JsonObject endpoints = new JsonObject();
        for (Colour colour : Colour.values()) {
            TrafficTarget.Backend backend = target.backends().get(colour);
            if (backend != null) {
                json.put(colour.id(), backend.weight());
                endpoints.put(colour.id(), new JsonArray(backend.endpoints().stream().map(Endpoint::toString).toList()));
            }
        }
        return json.put("endpoints", endpoints).encode() + "\n";
    }

    /** The target a weights file says; {@code what} names the file for the error. */
    static TrafficTarget parseWeights(String text, Path what) {
        try {
            JsonObject json = new JsonObject(text);
            JsonObject endpoints = json.getJsonObject("endpoints", new JsonObject());
            Map<Colour, TrafficTarget.Backend> backends = new EnumMap<>(Colour.class);
            for (Colour colour : Colour.values()) {
                if (json.containsKey(colour.id())) {
                    List<Endpoint> list = endpoints.getJsonArray(colour.id(), new JsonArray()).stream()
                            .map(e -> Endpoint.parse((String) e)).toList();
                    backends.put(colour, new TrafficTarget.Backend(list, json.getInteger(colour.id())));
                }
            }
            return new TrafficTarget(backends);
        } catch (RuntimeException e) {
            throw new IllegalStateException(what + " is not a weights file Switchman wrote: " + e.getMessage(), e);
        }
    }

    private static String address(Endpoint endpoint) {
        String host = endpoint.host().contains(":") ? "[" + endpoint.host() + "]" : endpoint.host();
        return host + ":" + endpoint.port();
    }

    private static String quoted(String path) {
        return '"' + path.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String resource(String name) {
        try (InputStream in = NginxFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
