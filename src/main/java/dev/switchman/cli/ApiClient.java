package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.model.ExitCode;
import dev.switchman.release.Outcome;
import dev.switchman.release.ProgressEvent;
import dev.switchman.store.Event;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CLI's side of {@code switchman serve}'s API: the same commands, exit codes and progress lines, with the work
 * done by the server. A refusal carries the exit code the server gives it (the CLI's own).
 */
final class ApiClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final String base;
    private final Optional<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    ApiClient(String server, Optional<String> token) {
        this.base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.token = token;
        if (!base.startsWith("http://") && !base.startsWith("https://")) {
            throw new ConfigException("--server " + server + ": expected a URL such as http://127.0.0.1:8480");
        }
    }

    /** An answer: its status and JSON body. */
    record Answer(int status, JsonObject body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer post(String path, JsonObject body) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    /** Follows the release's event stream to its end, printing each event as the CLI prints its own; the end state's body. */
    JsonObject follow(long release, PrintStream err) {
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(request("/api/releases/" + release + "/events").timeout(Duration.ofDays(1)).GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while following release #" + release);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the server answered " + response.statusCode() + " for release #" + release + "'s events");
        }
        String event = null;
        for (Iterator<String> lines = response.body().iterator(); lines.hasNext(); ) {
            String line = lines.next();
            if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                JsonObject data = new JsonObject(line.substring(6));
                switch (event == null ? "" : event) {
                    case "step" -> err.println(ProgressPrinter.format(progress(data)));
                    case "note" -> err.println(ProgressPrinter.format(new ProgressEvent.Note(data.getString("gate"), data.getString("text"))));
                    case "end" -> {
                        return data;
                    }
                    default -> { }
                }
            }
        }
        throw new IllegalStateException("the server closed release #" + release + "'s events before it ended: see 'switchman status'");
    }

    private static ProgressEvent progress(JsonObject e) {
        Event.Kind kind = Event.Kind.valueOf(e.getString("kind"));
        if (kind == Event.Kind.STARTED || kind == Event.Kind.UNDO_STARTED) {
            return new ProgressEvent.StepStarted(e.getString("gate"), kind.undo());
        }
        Long ms = e.getLong("durationMs");
        return new ProgressEvent.StepEnded(new Outcome.Step(e.getString("gate"), kind, ms == null ? 0 : ms, e.getString("detail")));
    }

    /** A refused request as the CLI reports it: the server's message, and the exit code it names. */
    int refused(Answer answer, PrintStream err) {
        String error = answer.body().getString("error", "the server answered " + answer.status());
        err.println("switchman: " + error + (answer.status() == 401 ? " (set SWITCHMAN_API_TOKEN or --token-file)" : ""));
        return answer.status() == 401 ? ExitCode.BAD_INPUT : answer.body().getInteger("exitCode", ExitCode.ACT_NOW);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonObject body;
            try {
                body = response.body().isBlank() ? new JsonObject() : new JsonObject(response.body());
            } catch (DecodeException e) {
                body = new JsonObject().put("error", "the server at " + base + " answered " + response.statusCode() + " with no JSON");
            }
            return new Answer(response.statusCode(), body);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + base);
        }
    }

    private ConfigException unreachable(IOException e) {
        return new ConfigException("--server " + base + ": " + (e instanceof ConnectException ? "nothing answers there"
                : e.getMessage()) + "; is 'switchman serve' running?");
    }
}
