package dev.switchman.gate;

import dev.switchman.config.StrategyConfig;
import dev.switchman.health.HealthCheck;
import dev.switchman.health.Measurement;
import dev.switchman.health.Measurement.Phase;
import dev.switchman.health.Metric;
import dev.switchman.health.MetricProvider;
import dev.switchman.health.Subject;
import dev.switchman.model.Endpoint;
import dev.switchman.model.SlotRecord;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The health checks kept running on a slot while traffic moves and through the bake, one probe of each endpoint
 * per measurement: a colour passes while one endpoint of it passes (the router takes a dead endpoint out of
 * rotation). {@link #FAILURE_LIMIT} failing measurements in a row fail the window, so one lost probe is a blip.
 */
final class HealthWatch implements MetricProvider {
    static final int FAILURE_LIMIT = 3;

    private final HealthCheck health;
    private final SlotRecord slot;
    private final String version;

    private HealthWatch(HealthCheck health, SlotRecord slot, String version) {
        this.health = health;
        this.slot = slot;
        this.version = version;
    }

    /** The watch of {@code slot} running {@code version}, as a metric named {@code name}. */
    static Metric of(String name, HealthCheck health, SlotRecord slot, String version) {
        return new Metric(new StrategyConfig.Metric(name, null, FAILURE_LIMIT, null, null), on(health, slot, version));
    }

    /** The watch of {@code slot} running {@code version}, for probing it outside a window. */
    static HealthWatch on(HealthCheck health, SlotRecord slot, String version) {
        return new HealthWatch(health, slot, version);
    }

    @Override
    public Future<Window> open(Subject subject) {
        return Future.succeededFuture(this::measure);
    }

    /** One probe of every endpoint. */
    Future<Measurement> measure() {
        List<Future<Measurement>> probes = new ArrayList<>();
        for (Endpoint endpoint : slot.endpoints()) {
            probes.add(health.probe(endpoint, version));
        }
        return Future.all(probes).map(all -> {
            List<Measurement> each = all.list();
            Measurement last = each.getLast();
            String what = version + " in " + slot.colour();
            if (each.stream().anyMatch(Measurement::ok)) {
                return new Measurement(last.at(), Phase.SUCCESS, what + " healthy");
            }
            String why = each.stream().map(Measurement::detail).distinct().collect(Collectors.joining("; "));
            return new Measurement(last.at(), Phase.FAILURE, what + " fails its health checks: " + why);
        });
    }
}
