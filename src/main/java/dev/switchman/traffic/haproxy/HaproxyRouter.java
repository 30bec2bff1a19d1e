package dev.switchman.traffic.haproxy;

import dev.switchman.model.Colour;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterStatus;
import dev.switchman.traffic.TrafficTarget;
import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Drives a running HAProxy through its runtime API (the stats socket at level admin), with no reload: each colour is
 * one server of {@code router.backend}, whose address, weight and state Switchman sets (see {@link SwitchPlan}).
 * HAProxy holds the state, so {@link #status()} reads it back from the servers.
 */
public final class HaproxyRouter implements Router {
    static final long POLL_MILLIS = 50;

    private final Vertx vertx;
    private final HaproxyRouterSettings settings;
    private final Clock clock;
    private final RuntimeApi api;

    public HaproxyRouter(Vertx vertx, HaproxyRouterSettings settings, Clock clock) {
        this.vertx = vertx;
        this.settings = settings;
        this.clock = clock;
        this.api = new RuntimeApi(vertx, settings);
    }

    /**
     * Whether HAProxy can be driven as configured: the socket answers at level admin, and the backend and both servers
     * exist. Fails with a message naming the key at fault; changes nothing.
     */
    public Future<Void> check() {
        return api.run("show cli level").compose(level -> {
            if (!level.trim().equals("admin")) {
                return Future.failedFuture(new IllegalStateException("router.socket: HAProxy's stats socket "
                        + settings.socket() + " is at level '" + ServerStats.firstLine(level)
                        + "', Switchman needs 'level admin' on its 'stats socket' line"));
            }
            return servers().mapEmpty();
        });
    }

    @Override
    public Future<Void> setWeights(TrafficTarget target) {
        String refused = refusal(target);
        if (refused != null) {
            return Future.failedFuture(new IllegalArgumentException(refused));
        }
        return servers().compose(now -> {
            SwitchPlan plan = SwitchPlan.of(settings.backend(), settings.servers(), now, target);
            List<Colour> raised = plan.raise().stream().map(SwitchPlan.Step::colour).toList();
            return run(plan.raise())
                    .compose(v -> raised.isEmpty() ? Future.succeededFuture() : awaitUp(raised))
                    .compose(v -> run(plan.lower()));
        });
    }

    @Override
    public Future<Boolean> verify(TrafficTarget target) {
        return servers().map(servers -> ServerTargets.matches(servers, target));
    }

    @Override
    public Future<RouterStatus> status() {
        return servers().compose(servers -> stats().map(stats -> {
            Map<Colour, RouterStatus.ColourStats> perColour = new EnumMap<>(Colour.class);
            for (Colour colour : Colour.values()) {
                RouterStatus.ColourStats counted = stats.get(settings.servers().of(colour));
                perColour.put(colour, counted == null ? RouterStatus.ColourStats.NONE : counted);
            }
            return new RouterStatus(ServerTargets.reconstruct(servers), perColour);
        }));
    }

    /** Waits until the colour's server has no current session (scur 0), polling on a timer. */
    @Override
    public Future<Void> drain(Colour colour) {
        String server = settings.servers().of(colour);
        return until(() -> stats().map(stats -> {
            RouterStatus.ColourStats counted = stats.get(server);
            return counted == null || counted.inFlight() == 0;
        }), () -> stats().map(stats -> "router.drainTimeout: " + stats.get(server).inFlight() + " session(s) on "
                + label(colour) + " still open after " + settings.drainTimeout().toMillis() + " ms of draining"));
    }

    public void close() {
        api.close();
    }

    // ---- internals -----------------------------------------------------------------------------------------------

    /** Why this router cannot apply {@code target} (null: it can): checked before anything is touched. */
    private String refusal(TrafficTarget target) {
        for (Colour colour : Colour.values()) {
            List<Endpoint> endpoints = target.endpoints(colour);
            if (endpoints.size() > 1) {
                return "router.servers." + colour.id() + ": names one HAProxy server, but " + colour + " has "
                        + endpoints.size() + " endpoints " + endpoints + "; HAProxy would send " + colour
                        + "'s share to one of them only, so nothing was changed";
            }
            for (Endpoint endpoint : endpoints) {
                if (!NetUtil.isValidIpV4Address(endpoint.host()) && !NetUtil.isValidIpV6Address(endpoint.host())) {
                    return "router.servers." + colour.id() + ": HAProxy's runtime API sets a server's address as an IP "
                            + "address, and " + colour + "'s endpoint is " + endpoint + "; nothing was changed";
                }
            }
        }
        return null;
    }

    /** Both colours' servers, by colour; a missing backend or server is an error naming its key. */
    private Future<Map<Colour, ServerState>> servers() {
        return api.run("show servers state " + settings.backend()).compose(answer -> {
            Map<String, ServerState> byName = ServerState.parse(answer);
            if (byName == null) {
                return backends().compose(known -> Future.failedFuture(new IllegalStateException("router.backend: HAProxy has no backend '"
                        + settings.backend() + "' (it answered '" + ServerStats.firstLine(answer) + "'; backends: " + known + ")")));
            }
            Map<Colour, ServerState> servers = new EnumMap<>(Colour.class);
            for (Colour colour : Colour.values()) {
                ServerState server = byName.get(settings.servers().of(colour));
                if (server == null) {
                    return Future.failedFuture(new IllegalStateException("router.servers." + colour.id()
                            + ": HAProxy's backend '" + settings.backend() + "' has no server '"
                            + settings.servers().of(colour) + "' (servers: " + String.join(", ", new TreeSet<>(byName.keySet())) + ")"));
                }
                servers.put(colour, server);
            }
            return Future.succeededFuture(servers);
        });
    }

    private Future<String> backends() {
        return api.run("show backend").map(answer -> String.join(", ",
                answer.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).map(String::trim).toList()));
    }

    private Future<Map<String, RouterStatus.ColourStats>> stats() {
        return api.run("show stat " + settings.backend() + " 4 -1").map(ServerStats::parse);
    }

    /** Runs every step's commands one after another; HAProxy's refusal of one stops the rest. */
    private Future<Void> run(List<SwitchPlan.Step> steps) {
        Future<Void> done = Future.succeededFuture();
        for (SwitchPlan.Step step : steps) {
            for (String command : step.commands()) {
                done = done.compose(v -> api.run(command).compose(answer -> accepted(step.colour(), command, answer)));
            }
        }
        return done;
    }

    /** HAProxy answers nothing to a change it made, and says so for an address; anything else is its refusal. */
    private Future<Void> accepted(Colour colour, String command, String answer) {
        String text = answer.trim();
        boolean ok = text.isEmpty() || command.contains(" addr ") && (text.contains("changed") || text.contains("no need"));
        if (ok) {
            return Future.succeededFuture();
        }
        String key = text.startsWith("Permission denied") ? "router.socket" : "router.servers." + colour.id();
        return Future.failedFuture(new IllegalStateException(key + ": HAProxy refused '" + command + "': "
                + ServerStats.firstLine(answer) + (key.equals("router.socket") ? " (the stats socket needs 'level admin')" : "")));
    }

    /** Waits until HAProxy counts every raised server as up (its health check passed), bounded by drainTimeout. */
    private Future<Void> awaitUp(List<Colour> raised) {
        Predicate<Map<Colour, ServerState>> allUp = servers -> raised.stream().allMatch(c -> servers.get(c).running());
        return until(() -> servers().map(allUp::test), () -> servers().map(servers -> {
            List<String> down = new ArrayList<>();
            for (Colour colour : raised) {
                if (!servers.get(colour).running()) {
                    down.add(label(colour) + " at " + servers.get(colour).where());
                }
            }
            return "router.servers: HAProxy does not count " + String.join(", ", down) + " as up after "
                    + settings.drainTimeout().toMillis() + " ms (router.drainTimeout); the other colour keeps its traffic";
        }));
    }

    private String label(Colour colour) {
        return colour + " (" + settings.backend() + "/" + settings.servers().of(colour) + ")";
    }

    private interface Poll<T> {
        Future<T> get();
    }

    /** Polls {@code done} on a timer until it holds, or fails with {@code why} once drainTimeout has passed. */
    private Future<Void> until(Poll<Boolean> done, Poll<String> why) {
        long deadline = clock.millis() + settings.drainTimeout().toMillis();
        Promise<Void> result = Promise.promise();
        poll(done, why, deadline, result);
        return result.future();
    }

    private void poll(Poll<Boolean> done, Poll<String> why, long deadline, Promise<Void> result) {
        done.get().onComplete(ar -> {
            if (ar.failed()) {
                result.fail(ar.cause());
            } else if (ar.result()) {
                result.complete();
            } else if (clock.millis() >= deadline) {
                why.get().onComplete(text -> result.fail(new IllegalStateException(
                        text.succeeded() ? text.result() : text.cause().getMessage())));
            } else {
                vertx.setTimer(POLL_MILLIS, id -> poll(done, why, deadline, result));
            }
        });
    }
}
