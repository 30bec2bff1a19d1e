package dev.switchman.telemetry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Pushes the text format to a Prometheus Pushgateway with PUT, which replaces the application's group: what it
 * holds is the last push of the last release. Each push is bounded by {@code timeout}; it blocks the calling thread
 * (never an event loop's).
 */
final class Pushgateway {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final URI uri;
    private final Duration timeout;
    private final HttpClient http;

    Pushgateway(String baseUrl, String application, Duration timeout) {
        this.uri = URI.create(baseUrl + "/metrics/job/switchman/application/" + application);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    URI uri() {
        return uri;
    }

    void push(String text) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", CONTENT_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString(text))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            String body = response.body().strip();
            throw new IOException("it answered " + response.statusCode()
                    + (body.isEmpty() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) + "..." : body)));
        }
    }
}
