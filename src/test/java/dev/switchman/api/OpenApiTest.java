package dev.switchman.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchman.model.ExitCode;
import dev.switchman.release.Progress;
import dev.switchman.release.Wiring;
import dev.switchman.spi.Kinds;
import dev.switchman.support.Futures;
import dev.switchman.support.GreeterStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/openapi.yaml against the server: every operation the server serves is described and every one described is
 * served, and each answers a request with a status the description lists (requests that change nothing: a release
 * with no body, a promote or abort with nothing in progress).
 */
class OpenApiTest {
    @TempDir
    Path dir;

    @Test
    void theDescriptionAndTheServerAgree() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docs/openapi.yaml").toFile());
        List<String> described = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> described.add(method.toUpperCase() + " " + path.getKey()));
        }
        try (GreeterStack stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100))) {
            stack.startRouter();
            stack.changelog("v1", ApiServerTest.CHANGELOG);
            assertThat(stack.cli("release", "v1").exitCode()).isEqualTo(ExitCode.RELEASED);
            try (Wiring wiring = Wiring.open(Kinds.loadConfig(stack.config))) {
                ApiServer api = Futures.await(ApiServer.start(wiring, new ApiOptions("127.0.0.1", 0,
                        Optional.of(ApiServerTest.TOKEN)), Progress.NONE));
                try {
                    assertThat(api.operations()).containsExactlyInAnyOrderElementsOf(described);
                    HttpClient http = HttpClient.newHttpClient();
                    for (String operation : described) {
                        String method = operation.substring(0, operation.indexOf(' '));
                        String path = operation.substring(method.length() + 1).replace("{id}", "1");
                        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                                .header("Authorization", "Bearer " + ApiServerTest.TOKEN).timeout(Duration.ofSeconds(30))
                                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                                        : HttpRequest.BodyPublishers.noBody()).build();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        JsonNode responses = doc.get("paths").get(operation.substring(method.length() + 1))
                                .get(method.toLowerCase()).get("responses");
                        assertThat(responses.has(String.valueOf(response.statusCode())))
                                .as(operation + " answered " + response.statusCode() + ": " + response.body()).isTrue();
                        // Without the token every operation under /api is refused, as described.
                        if (path.startsWith("/api/")) {
                            HttpRequest bare = HttpRequest.newBuilder(request.uri()).timeout(Duration.ofSeconds(30))
                                    .method(method, HttpRequest.BodyPublishers.noBody()).build();
                            assertThat(http.send(bare, HttpResponse.BodyHandlers.ofString()).statusCode()).as(operation).isEqualTo(401);
                            assertThat(responses.has("401")).as(operation + " describes 401").isTrue();
                        }
                    }
                } finally {
                    Futures.await(api.stop("the test ended"));
                }
            }
        }
    }
}
