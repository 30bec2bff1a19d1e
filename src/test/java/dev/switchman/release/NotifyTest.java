package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.Colour;
import dev.switchman.model.ExitCode;
import dev.switchman.support.Futures;
import dev.switchman.support.GreeterStack;
import dev.switchman.support.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notify webhook, received by a real HTTP server: a release's start and end, a failed gate and the rollback;
 * a receiver that fails twice gets the message on the third attempt; one that is down costs the release nothing
 * but a warning.
 */
class NotifyTest {
    @TempDir
    Path dir;
    GreeterStack stack;
    final Vertx vertx = Vertx.vertx();
    final Queue<JsonObject> received = new ConcurrentLinkedQueue<>();
    final AtomicInteger refuseFirst = new AtomicInteger();
    HttpServer receiver;

    @BeforeEach
    void setUp() throws Exception {
        receiver = Futures.await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            if (refuseFirst.getAndDecrement() > 0) {
                req.response().setStatusCode(503).end();
                return;
            }
            received.add(body.toJsonObject());
            req.response().end("ok");
        })).listen(0, "127.0.0.1"));
        stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100));
        stack.startRouter();
        stack.changelog("v1", ReleaseGatesTest.V1);
        stack.changelog("v2", ReleaseGatesTest.V1);
        stack.changelog("v3", ReleaseGatesTest.V1);
    }

    @AfterEach
    void tearDown() throws Exception {
        stack.close();
        vertx.close();
    }

    private void notifyAt(String url) throws Exception {
        stack.editConfig(c -> c + "notify:\n  url: " + url + "\n  timeout: 1s\n");
    }

    @Test
    void aReleaseAndARollbackAreToldWithSlackCompatibleBodies() throws Exception {
        notifyAt("http://127.0.0.1:" + receiver.actualPort() + "/hooks/release");
        refuseFirst.set(2); // the first message gets through on its third attempt
        GreeterStack.Run first = stack.cli("release", "v1");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCode.RELEASED);
        // Each message goes on its own: the retried first one may arrive after the second.
        assertThat(events()).containsExactlyInAnyOrder("started", "released");
        JsonObject released = received.stream().filter(b -> b.getString("event").equals("released")).findFirst().orElseThrow();
        assertThat(released.getString("text")).contains("greeter v1 released");
        assertThat(released.getString("application")).isEqualTo("greeter");
        assertThat(released.getInteger("exitCode")).isEqualTo(ExitCode.RELEASED);

        received.clear();
        stack.fault(Colour.GREEN, "unhealthy", true);
        GreeterStack.Run failed = stack.cli("release", "v2");
        assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(events()).containsExactlyInAnyOrder("started", "gate-failed", "rolled-back");
        JsonObject back = received.stream().filter(b -> b.getString("event").equals("rolled-back")).findFirst().orElseThrow();
        assertThat(back.getString("gate")).isEqualTo("check-new");
        assertThat(back.getString("text")).contains("greeter v2 rolled back at check-new");
    }

    @Test
    void aReceiverThatIsDownCostsTheReleaseNothingButAWarning() throws Exception {
        int nobody = Ports.free();
        notifyAt("http://127.0.0.1:" + nobody + "/secret-path-token");
        GreeterStack.Run run = stack.cli("release", "v1");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(run.stderr()).contains("warning: the notify webhook at 127.0.0.1 did not take 'released' after 3 attempt(s)")
                .doesNotContain("secret-path-token");
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    @Test
    void aWebhookUrlFromTheEnvironmentThatIsNotSetIsBadInputAndTouchesNothing() throws Exception {
        stack.editConfig(c -> c + "notify:\n  urlEnv: SWITCHMAN_TEST_UNSET_WEBHOOK\n");
        GreeterStack.Run run = stack.cli("release", "v1");
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.stderr()).contains("notify.urlEnv: the variable SWITCHMAN_TEST_UNSET_WEBHOOK is not set");
        assertThat(stack.lastRelease()).isEmpty();
    }

    private List<String> events() {
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(b -> b.containsKey("exitCode")));
        return received.stream().map(b -> b.getString("event")).toList();
    }
}
