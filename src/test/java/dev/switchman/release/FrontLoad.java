package dev.switchman.release;

import static org.awaitility.Awaitility.await;

import dev.switchman.model.Endpoint;
import dev.switchman.support.Futures;
import dev.switchman.traffic.LoadLoop;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Keep-alive clients sending GET and POST through a front to the greeter, counting every request: which version
 * answered it (a GET answers the greeting, a POST the greeting and the length of the body it read) or how it failed.
 */
final class FrontLoad implements AutoCloseable {
    static final int CLIENTS = 16;

    private final LoadLoop loop;
    private boolean stopped;

    FrontLoad(Vertx vertx, Endpoint front) {
        loop = LoadLoop.start(vertx, front, CLIENTS);
    }

    /** Requests the version answered, GET and POST. */
    int servedBy(String version) {
        String greeting = "Hello from greeter " + version;
        return loop.answeredBy(greeting + "\n") + loop.answeredBy(greeting);
    }

    int done() {
        return loop.done();
    }

    /** Waits until the version has answered {@code more} requests beyond what it had answered so far. */
    void awaitServed(String version, int more) {
        int target = servedBy(version) + more;
        await().atMost(Futures.BOUND).until(() -> servedBy(version) >= target);
    }

    /** Stops every client after its request and gives the failures. */
    List<String> stop() {
        if (!stopped) {
            loop.stop();
            await().atMost(Futures.BOUND).until(loop::stopped);
            stopped = true;
        }
        return List.copyOf(loop.failures());
    }

    @Override
    public void close() {
        stop();
        loop.close();
    }
}
