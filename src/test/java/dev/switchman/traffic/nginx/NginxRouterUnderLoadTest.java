package dev.switchman.traffic.nginx;

import static dev.switchman.model.Colour.BLUE;
import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.support.Futures;
import dev.switchman.traffic.LoadLoop;
import dev.switchman.traffic.TrafficTarget;
import dev.switchman.traffic.Upstream;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switches under keep-alive GET and POST load through a real nginx. A weight switch must fail no request; an
 * endpoint switch reloads nginx, whose failures are printed as a figure for the docs, not asserted.
 */
class NginxRouterUnderLoadTest {
    private static final int CLIENTS = 32;
    private static final int SWITCHES = 20;

    @TempDir
    Path dir;

    private Vertx vertx;
    private Upstream blue;
    private Upstream green;
    private Upstream otherGreen;
    private NginxServer nginx;
    private NginxRouter router;
    private LoadLoop load;

    @BeforeEach
    void start() throws IOException {
        NginxServer.assumeInstalled();
        vertx = Vertx.vertx();
        blue = Upstream.start(vertx, "blue");
        green = Upstream.start(vertx, "green");
        otherGreen = Upstream.start(vertx, "green-b");
        nginx = NginxServer.prepare(dir.resolve("nginx"));
        router = NginxRouterProvider.router(vertx, nginx.settings(), NginxServer.PREFIX, dir, dir.resolve("nginx.log"),
                System.getenv(), Clock.systemUTC());
        nginx.start(router.files());
    }

    @AfterEach
    void stop() {
        if (load != null) {
            load.stop();
            await().atMost(Futures.BOUND).until(load::stopped);
            load.close();
        }
        if (nginx != null) {
            nginx.stop();
        }
        if (vertx != null) {
            await(vertx.close());
        }
    }

    @Test
    void weightSwitchesBackAndForthFailNoRequest() {
        await(router.setWeights(split(green, 0)));
        // The first endpoints reloaded nginx: its old workers (worker_processes 2) may still be exiting.
        await().atMost(Futures.BOUND).until(() -> workers().size() == 2);
        Set<Long> workers = workers();
        load = LoadLoop.start(vertx, nginx.address(), CLIENTS);
        for (int i = 1; i <= SWITCHES; i++) {
            int greenWeight = i % 2 == 1 ? 100 : 0;
            String live = greenWeight == 100 ? "green" : "blue";
            int before = load.answeredBy(live);
            await(router.setWeights(split(green, greenWeight)));
            await().atMost(Futures.BOUND).until(() -> load.answeredBy(live) >= before + 200);
        }
        load.stop();
        await().atMost(Futures.BOUND).until(load::stopped);

        assertThat(load.failures()).as("failed requests over " + SWITCHES + " weight switches").isEmpty();
        assertThat(workers()).as("nginx's workers: a weight switch reloads nothing").isEqualTo(workers);
        System.out.printf("nginx weight switches: %d switches, %d requests, %d failed%n", SWITCHES, load.ok(),
                load.failures().size());
    }

    @Test
    void endpointSwitchesReloadNginxAndTheirFailuresAreCounted() {
        await(router.setWeights(split(green, 50)));
        load = LoadLoop.start(vertx, nginx.address(), CLIENTS);
        long reloadNanos = 0;
        for (int i = 1; i <= SWITCHES; i++) {
            Upstream to = i % 2 == 1 ? otherGreen : green;
            int before = load.answeredBy(to.name);
            Set<Long> workers = workers();
            long start = System.nanoTime();
            await(router.setWeights(split(to, 50)));
            reloadNanos += System.nanoTime() - start;
            assertThat(workers()).as("an endpoint change reloads nginx").isNotEqualTo(workers);
            await().atMost(Futures.BOUND).until(() -> load.answeredBy(to.name) >= before + 200);
        }
        load.stop();
        await().atMost(Futures.BOUND).until(load::stopped);

        assertThat(load.answeredBy("green-b")).as("the other green endpoint got traffic").isPositive();
        System.out.printf("nginx endpoint switches: %d switches (each nginx -t and -s reload, %d ms each on average),"
                        + " %d requests, %d failed%n", SWITCHES, reloadNanos / SWITCHES / 1_000_000, load.ok(),
                load.failures().size());
        load.failures().stream().map(f -> f.replaceFirst("^\\d+: ", "")).collect(Collectors.groupingBy(f -> f,
                Collectors.counting())).forEach((f, n) -> System.out.println("  " + n + " x " + f));
    }

    private TrafficTarget split(Upstream greenUpstream, int greenWeight) {
        return TrafficTarget.split(BLUE, List.of(blue.endpoint()), List.of(greenUpstream.endpoint()), greenWeight);
    }

    /** nginx's worker processes now: a reload replaces them. */
    private Set<Long> workers() {
        long master = Long.parseLong(NginxServer.read(nginx.dir.resolve("nginx.pid")).strip());
        return ProcessHandle.of(master).orElseThrow().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}
