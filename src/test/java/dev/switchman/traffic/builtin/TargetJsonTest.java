package dev.switchman.traffic.builtin;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.model.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchman.model.Endpoint;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetJsonTest {

    private final TrafficTarget target = TrafficTarget.split(BLUE,
            List.of(Endpoint.parse("127.0.0.1:8081")), List.of(Endpoint.parse("127.0.0.1:8082")), 25);

    @Test
    void aTargetRoundTripsInTheDocumentedShape() {
        JsonObject json = TargetJson.toJson(target);
        assertThat(json).isEqualTo(new JsonObject(
                "{\"blue\":{\"weight\":75,\"endpoints\":[\"127.0.0.1:8081\"]},\"green\":{\"weight\":25,\"endpoints\":[\"127.0.0.1:8082\"]}}"));
        assertThat(TargetJson.fromJson(json)).isEqualTo(target);
        assertThat(TargetJson.fromText(json.encode())).isEqualTo(target);
    }

    @Test
    void aColoursVersionIsOptionalAndRoundTrips() {
        TrafficTarget versioned = target.withVersion(BLUE, "1.4.2");
        JsonObject json = TargetJson.toJson(versioned);
        assertThat(json.getJsonObject("blue").getString("version")).isEqualTo("1.4.2");
        assertThat(json.getJsonObject("green").containsKey("version")).isFalse();
        assertThat(TargetJson.fromJson(json)).isEqualTo(versioned);
        assertThat(TargetJson.fromJson(json).version(BLUE)).isEqualTo("1.4.2");
        assertThat(TargetJson.fromJson(json).version(GREEN)).isNull();

        json.getJsonObject("green").put("version", 2);
        assertThatThrownBy(() -> TargetJson.fromJson(json)).hasMessageContaining("green.version: expected text");
    }

    @Test
    void aStatusRoundTrips() {
        RouterStatus status = new RouterStatus(target, Map.of(
                BLUE, new RouterStatus.ColourStats(10, 1, 2, 3.5, 3),
                GREEN, new RouterStatus.ColourStats(4, 0, 0, 1.25)));
        JsonObject json = TargetJson.statusToJson(status);
        assertThat(json.getJsonObject("stats").getJsonObject("blue").getLong("inFlight")).isEqualTo(2);
        assertThat(json.getJsonObject("stats").getJsonObject("blue").getLong("clientAborts")).isEqualTo(3);
        assertThat(TargetJson.statusFromJson(json)).isEqualTo(status);

        RouterStatus empty = TargetJson.statusFromJson(TargetJson.statusToJson(new RouterStatus(null, Map.of())));
        assertThat(empty.target()).isNull();
        assertThat(empty.stats(GREEN)).isEqualTo(new RouterStatus.ColourStats(0, 0, 0, 0));
    }

    @Test
    void theAdminStatusAddsRetriesAndTheEndpointsDown() {
        RouterStatus status = new RouterStatus(target, Map.of(BLUE, new RouterStatus.ColourStats(10, 4, 0, 3.5, 0)));
        JsonObject json = TargetJson.statusToJson(status, Map.of(BLUE, 4L), List.of(Endpoint.parse("127.0.0.1:8081")));
        assertThat(json.getJsonObject("stats").getJsonObject("blue").getLong("retried")).isEqualTo(4);
        assertThat(json.getJsonObject("stats").getJsonObject("green").getLong("retried")).isZero();
        assertThat(json.getJsonArray("down").getList()).containsExactly("127.0.0.1:8081");
        assertThat(TargetJson.statusFromJson(json).stats(BLUE)).isEqualTo(status.stats(BLUE));
    }

    @Test
    void invalidTargetsAreExplained() {
        assertThatThrownBy(() -> TargetJson.fromText("[1,2]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> TargetJson.fromText("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> TargetJson.fromText("{\"blue\":{\"weight\":\"100\",\"endpoints\":[\"h:1\"]}}"))
                .hasMessageContaining("blue.weight: expected a whole number");
        assertThatThrownBy(() -> TargetJson.fromText("{\"blue\":{\"weight\":100,\"endpoints\":[\"nohost\"]}}"))
                .hasMessageContaining("'nohost' is not host:port");
        assertThatThrownBy(() -> TargetJson.fromText("{\"blue\":{\"weight\":100}}"))
                .hasMessageContaining("blue: a colour with weight 100 needs at least one endpoint");
        assertThatThrownBy(() -> TargetJson.fromText("{\"blue\":{\"weight\":100,\"endpoints\":[\"h:1\"],\"x\":1}}"))
                .hasMessageContaining("blue.x: unknown field");
        assertThatThrownBy(() -> TargetJson.fromText("{\"blue\":{\"weight\":150,\"endpoints\":[\"h:1\"]}}"))
                .hasMessageContaining("outside 0-100");
    }
}
