package dev.switchman.traffic.builtin;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.TrafficTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive health of the upstream endpoints. An endpoint the router could not connect to is down: the selector
 * passes it over until it accepts a TCP connection again. The router probes a down endpoint itself, one TCP connect
 * every {@link #PROBE_INTERVAL_MILLIS}, each bounded by {@link #PROBE_TIMEOUT_MILLIS}, on Vert.x timers, and at once
 * when it is given a target ({@link #recheck}); accepting a connection is all it checks, not the application's
 * health endpoint. An endpoint the target no longer lists is forgotten, so a probe lives no longer than the
 * endpoint's place in the target. Shared by every event loop.
 */
final class EndpointHealth {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointHealth.class);

    static final long PROBE_INTERVAL_MILLIS = 500;
    static final int PROBE_TIMEOUT_MILLIS = 1_000;

    private final Vertx vertx;
    private final Supplier<TrafficTarget> target;
    private final NetClient probes;
    /**
     * The endpoints down, each with the token of its timed probes: a probe whose token is no longer there stops, so
     * an endpoint that went down again is probed by one chain of timers, not two.
     */
    private final Map<Endpoint, Object> down = new ConcurrentHashMap<>();
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
        return downCount.get() != 0 && down.containsKey(endpoint);
    }

    /** Takes {@code endpoint}, which could not be connected to, out of rotation and probes it, unless it is down already. */
    void markDown(Endpoint endpoint, Throwable failure) {
        Object token = new Object();
        if (!closed && down.putIfAbsent(endpoint, token) == null) {
            downCount.incrementAndGet();
            LOG.warn("{} could not be connected to ({}): out of rotation until it accepts a connection", endpoint,
                    failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
            probeLater(endpoint, token);
        }
    }

    /**
     * Probes every endpoint down now, without waiting for its turn; completes when each probe has ended (within
     * {@link #PROBE_TIMEOUT_MILLIS}), never failed. So a target is applied with the marks of that moment: an
     * endpoint given traffic that listens again gets it from the first request.
     */
    Future<Void> recheck() {
        List<Future<Void>> probing = new ArrayList<>();
        for (Endpoint endpoint : down.keySet()) {
            probing.add(probe(endpoint));
        }
        return Future.join(probing).<Void>mapEmpty().otherwiseEmpty();
    }

    /** The endpoints down now, in host:port order. */
    List<Endpoint> down() {
        return down.keySet().stream().sorted(Comparator.comparing(Endpoint::toString)).toList();
    }

    /** Stops probing. */
    Future<Void> close() {
        closed = true;
        return probes.close();
    }

    private void probeLater(Endpoint endpoint, Object token) {
        if (!closed) {
            vertx.setTimer(PROBE_INTERVAL_MILLIS, id -> {
                if (down.get(endpoint) == token) {
                    probe(endpoint).onFailure(refused -> probeLater(endpoint, token));
                }
            });
        }
    }

    /** One probe: succeeds when the endpoint is up again or forgotten, fails when it still accepts no connection. */
    private Future<Void> probe(Endpoint endpoint) {
        if (closed) {
            return Future.succeededFuture();
        }
        if (!listed(endpoint)) {
            up(endpoint); // no longer routed to: nothing to take out of rotation
            return Future.succeededFuture();
        }
        return probes.connect(endpoint.port(), endpoint.host()).map(socket -> {
            socket.close();
            if (up(endpoint)) {
                LOG.info("{} accepts connections again: back in rotation", endpoint);
            }
            return null;
        });
    }

    private boolean up(Endpoint endpoint) {
        if (down.remove(endpoint) != null) {
            downCount.decrementAndGet();
            return true;
        }
        return false;
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
