package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive health of the upstream endpoints. An endpoint the router could not connect to is down: the selector
 * passes it over until it accepts a TCP connection again. The router probes a down endpoint itself, one TCP connect
 * every {@link #PROBE_INTERVAL_MILLIS}, each bounded by {@link #PROBE_TIMEOUT_MILLIS}, on Vert.x timers; accepting a
 * connection is all it checks, not the application's health endpoint. An endpoint the target no longer lists is
 * forgotten, so a probe lives no longer than the endpoint's place in the target. Shared by every event loop.
 */
final class EndpointHealth {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointHealth.class);

    static final long PROBE_INTERVAL_MILLIS = 500;
    static final int PROBE_TIMEOUT_MILLIS = 1_000;

    private final Vertx vertx;
    private final Supplier<TrafficTarget> target;
    private final NetClient probes;
    private final Set<Endpoint> down = ConcurrentHashMap.newKeySet();
    /** The size of {@link #down}, read first so that a request finds no endpoint down without a lookup. */
    private final AtomicInteger downCount = new AtomicInteger();
    private volatile boolean closed;

    /** Probes with {@code vertx}; {@code target} is the target applied now (null before any). */
    EndpointHealth(Vertx vertx, Supplier<TrafficTarget> target) {
        this.vertx = vertx;
        this.target = target;
        this.probes = vertx.createNetClient(new NetClientOptions().setConnectTimeout(PROBE_TIMEOUT_MILLIS));
    }

    boolean isDown(Endpoint endpoint) {
        return downCount.get() != 0 && down.contains(endpoint);
    }

    /** Takes {@code endpoint}, which could not be connected to, out of rotation and probes it, unless it is down already. */
    void markDown(Endpoint endpoint, Throwable failure) {
        if (!closed && down.add(endpoint)) {
            downCount.incrementAndGet();
            LOG.warn("{} could not be connected to ({}): out of rotation until it accepts a connection", endpoint,
                    failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
            probeLater(endpoint);
        }
    }

    /** The endpoints down now, in host:port order. */
    List<Endpoint> down() {
        return down.stream().sorted(Comparator.comparing(Endpoint::toString)).toList();
    }

    /** Stops probing. */
    Future<Void> close() {
        closed = true;
        return probes.close();
    }

    private void probeLater(Endpoint endpoint) {
        if (!closed) {
            vertx.setTimer(PROBE_INTERVAL_MILLIS, id -> probe(endpoint));
        }
    }

    private void probe(Endpoint endpoint) {
        if (closed) {
            return;
        }
        if (!listed(endpoint)) {
            up(endpoint); // no longer routed to: nothing to take out of rotation
            return;
        }
        probes.connect(endpoint.port(), endpoint.host()).onComplete(connected -> {
            if (connected.succeeded()) {
                connected.result().close();
                up(endpoint);
                LOG.info("{} accepts connections again: back in rotation", endpoint);
            } else {
                probeLater(endpoint);
            }
        });
    }

    private void up(Endpoint endpoint) {
        if (down.remove(endpoint)) {
            downCount.decrementAndGet();
        }
    }

    private boolean listed(Endpoint endpoint) {
        TrafficTarget now = target.get();
        if (now == null) {
            return false;
        }
        for (Colour colour : Colour.values()) {
            if (now.endpoints(colour).contains(endpoint)) {
                return true;
            }
        }
        return false;
    }
}
