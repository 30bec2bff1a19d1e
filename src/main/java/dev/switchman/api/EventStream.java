package dev.switchman.api;

import dev.switchman.release.ProgressEvent;
import dev.switchman.release.ReleaseJson;
import dev.switchman.store.Event;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.store.ReleaseStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One release's events as server-sent events: its event log from the start ({@code event: step}), then each new
 * line as the store gets it, and, while this server runs the release, the gates' notes as they are made
 * ({@code event: note}: analysis measurements, heartbeats); {@code event: end} with the release once it ended.
 * The store is read every {@link #POLL_MS}, so a release run by another server on the same store streams too.
 */
final class EventStream {
    static final long POLL_MS = 250;
    /** A comment now and then keeps proxies in between from closing a quiet stream. */
    private static final long KEEP_ALIVE_MS = 15_000;

    private final Vertx vertx;
    private final ReleaseStore store;
    private final String application;
    private final long releaseId;
    private final Function<Long, Future<Optional<ReleaseRecord>>> find;
    private final HttpServerResponse response;
    private int sent;
    private long lastWrite = System.currentTimeMillis();
    private boolean closed;
    private Runnable unlisten = () -> { };

    private EventStream(Vertx vertx, ReleaseStore store, String application, long releaseId, Function<Long, Future<Optional<ReleaseRecord>>> find,
                        HttpServerResponse response) {
        this.vertx = vertx;
        this.store = store;
        this.application = application;
        this.releaseId = releaseId;
        this.find = find;
        this.response = response;
    }

    static void open(Vertx vertx, ReleaseStore store, String application, long releaseId, Function<Long, Future<Optional<ReleaseRecord>>> find,
                     Optional<ReleaseRuns.Run> run, HttpServerResponse response) {
        EventStream stream = new EventStream(vertx, store, application, releaseId, find, response);
        // Notes come from the release's callbacks; the stream is written on the request's own context.
        Context context = vertx.getOrCreateContext();
        response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
        response.write(": release " + releaseId + "\n\n");
        response.closeHandler(v -> stream.close());
        run.ifPresent(r -> stream.unlisten = r.listen(event -> {
            if (event instanceof ProgressEvent.Note note) {
                context.runOnContext(v -> stream.send("note", new JsonObject().put("gate", note.gate()).put("text", note.text())));
            }
        }));
        stream.poll();
    }

    private void poll() {
        if (closed) {
            return;
        }
        // The release while it runs is the application's unfinished one (one indexed row); only once it is not any
        // more is it looked up in the history, to send its end.
        store.events(releaseId).compose(events -> store.unfinished(application).compose(unfinished -> {
            sendNew(events);
            return unfinished.filter(r -> r.id() == releaseId).isPresent() ? Future.succeededFuture(unfinished)
                    : find.apply(releaseId);
        })).onComplete(ar -> {
            if (closed) {
                return;
            }
            if (ar.failed()) {
                send("error", new JsonObject().put("error", String.valueOf(ar.cause().getMessage())));
                end();
            } else if (ar.result().isPresent() && !ar.result().get().state().unfinished()) {
                send("end", ReleaseJson.of(ar.result().get()));
                end();
            } else {
                if (System.currentTimeMillis() - lastWrite > KEEP_ALIVE_MS) {
                    write(": keep-alive\n\n");
                }
                vertx.setTimer(POLL_MS, t -> poll());
            }
        });
    }

    private void sendNew(List<Event> events) {
        for (int i = sent; i < events.size(); i++) {
            send("step", ReleaseJson.of(events.get(i)));
        }
        sent = Math.max(sent, events.size());
    }

    private void send(String event, JsonObject data) {
        write("event: " + event + "\ndata: " + data.encode() + "\n\n");
    }

    private void write(String text) {
        if (!closed) {
            lastWrite = System.currentTimeMillis();
            response.write(text);
        }
    }

    private void end() {
        if (!closed) {
            close();
            response.end();
        }
    }

    private void close() {
        closed = true;
        unlisten.run();
    }
}
