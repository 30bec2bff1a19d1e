package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.Endpoint;
import dev.switchman.model.ExitCode;
import dev.switchman.support.Futures;
import dev.switchman.support.GreeterStack;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A contract change that holds an exclusive lock on a table the service reads on every request, released under
 * keep-alive GET and POST load through the builtin router. The service guards its reads with a lock_timeout, as
 * services should, so while the lock is held its requests fail; marked {@code switchman:pause}, the same change runs
 * while the router holds new requests, and none fails. Side by side in one test, so the scene is one in which a
 * missing pause shows.
 */
class PauseReleaseTest {
    /** LOCK and a sleep stand for a change that rewrites the table under its lock (e.g. a column's type on a big table). */
    private static final String LOCKING_CONTRACT = """
            --changeset greeter:%1$s-contract labels:contract
            %2$s
            -- switchman:accept lock-table it stands for a change that rewrites the table under its lock
            lock table greetings in access exclusive mode;
            select pg_sleep(1.5);
            """;

    @TempDir
    Path dir;

    private GreeterStack stack;
    private Vertx vertx;
    private FrontLoad load;

    @BeforeEach
    void firstRelease() throws Exception {
        stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100));
        stack.editConfig(config -> config
                .replace("command: [\"python3\", \"greeter.py\"]", "command: [\"/usr/bin/python3\", \"greeter.py\"]")
                .replace("    FAULTS_DIR:", "    GREETER_TABLE: greetings\n    FAULTS_DIR:"));
        stack.startRouter();
        vertx = Vertx.vertx();
        stack.changelog("v1", """
                --liquibase formatted sql
                --changeset greeter:1 labels:expand
                create table greetings (id serial primary key, name text);
                --rollback drop table greetings;
                """);
        GreeterStack.Run v1 = stack.cli("release", "v1");
        assertThat(v1.exitCode()).as(v1.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v1");
    }

    @AfterEach
    void stop() throws Exception {
        if (load != null) {
            load.close();
        }
        stack.close();
        Futures.await(vertx.close());
    }

    @Test
    void aLockingContractChangeFailsRequestsUnlessMarkedForAPauseThenNone() throws Exception {
        List<String> unmarked = releaseUnderLoad("v2", "");
        List<String> marked = releaseUnderLoad("v3", "-- switchman:pause 5s");

        System.out.printf("contract under an exclusive lock for 1.5 s: %d requests failed without the pause, %d with it%n",
                unmarked.size(), marked.size());
        assertThat(unmarked).as("without the pause, requests meet the lock").isNotEmpty()
                .allMatch(failure -> failure.contains("status 503 greeter v2: database: canceling statement due to lock timeout"));
        assertThat(marked).as("with the pause, held at the router instead").isEmpty();
        assertThat(stack.routerStatus().target().weight(dev.switchman.model.Colour.BLUE)).as("v3 in blue").isEqualTo(100);
        assertThat(stack.get()).isEqualTo("200 Hello from greeter v3");
    }

    @Test
    void aMarkARouterCannotHonourIsBadInputAndTouchesNothing() throws Exception {
        stack.changelog("v2", """
                --liquibase formatted sql
                --changeset greeter:v2-expand labels:expand
                alter table greetings add column note text;
                --rollback alter table greetings drop column note;
                """ + LOCKING_CONTRACT.formatted("v2", "-- switchman:pause"));
        // A router driven through commands cannot hold requests (nor count them: no analysis here).
        stack.strategy(GreeterStack.strategy("0s", 100) + "  metrics: []\n");
        stack.editConfig(config -> config.replace("router:\n", "router:\n  type: command\n  setWeights: [\"true\"]\n")
                .replaceAll("  (port|adminPort|host|drainTimeout): .*\n", ""));

        GreeterStack.Run run = stack.cli("release", "v2");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.stderr()).contains("db/v2/changelog.sql:5 (v2-contract): switchman:pause asks the router to hold"
                + " requests during contract, which router.type command cannot do; nothing was touched");
        assertThat(stack.columns("greetings")).as("expand did not run").containsExactly("id", "name");
        assertThat(stack.lastRelease().orElseThrow().version()).isEqualTo("v1");
    }

    /** Releases {@code version} with a locking contract change carrying {@code mark}; the failed requests meanwhile. */
    private List<String> releaseUnderLoad(String version, String mark) throws Exception {
        stack.changelog(version, "--liquibase formatted sql\n" + LOCKING_CONTRACT.formatted(version, mark));
        load = new FrontLoad(vertx, new Endpoint("127.0.0.1", stack.routerPort));
        String previous = version.equals("v2") ? "v1" : "v2";
        load.awaitServed(previous, 100);
        GreeterStack.Run run = stack.cli("release", version);
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.RELEASED);
        load.awaitServed(version, 100);
        List<String> failures = load.stop();
        load.close();
        load = null;
        if (!mark.isEmpty()) {
            assertThat(run.stderr()).contains("requests held up to 5s for");
        }
        return failures;
    }
}
