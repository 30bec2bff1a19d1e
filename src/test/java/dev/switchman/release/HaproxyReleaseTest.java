package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.Colour;
import dev.switchman.model.ExitCode;
import dev.switchman.support.FrontStack;
import dev.switchman.support.GreeterStack;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Releases through a real HAProxy on the shipped haproxy.cfg.example. HAProxy counts per colour, so the strategy's
 * analysis is the default one (the router's counters), and no request may fail.
 */
class HaproxyReleaseTest extends FrontReleaseTest {

    @Override
    String strategy() {
        return STRATEGY;
    }

    @Override
    FrontStack start(GreeterStack stack) throws IOException {
        return FrontStack.haproxy(stack);
    }

    @Override
    Object unreloaded() {
        return null; // weights and addresses go through the runtime API: HAProxy never reloads
    }

    @Test
    void aNewVersionAnsweringErrorsIsRolledBackByHaproxysCounters() throws Exception {
        releaseV2UnderLoad();

        stack.fault(Colour.BLUE, "errors", true);
        load = new FrontLoad(vertx, front.address);
        load.awaitServed("v2", 100);
        GreeterStack.Run run = stack.cli("release", "v3");
        load.awaitServed("v2", 100);
        List<String> failures = load.stop();

        System.out.printf("HAProxy rollback on errors under load: %d requests, %d failed (v3's 500s)%n",
                load.done(), failures.size());
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(run.stderr()).containsPattern("analysis at 50% to v3 in blue: .*blue: [1-9][0-9]* errors in");
        assertThat(failures).as("v3's answers while it had its share, and nothing else").isNotEmpty()
                .allMatch(failure -> failure.contains("status 500 greeter v3: failing on purpose"));
        assertThat(front.get()).isEqualTo("200 Hello from greeter v2");
    }

    /** Judged by HAProxy's counters at 50 %: none of the clients' requests may fail. */
    @Override
    void releaseV2UnderLoad() {
        Loaded loaded = releaseUnderLoad("v1", "v2");
        assertThat(loaded.run().stderr()).as("judged by HAProxy's counters at 50 %")
                .containsPattern("50% to v2 in green: .*green: 0 errors in [1-9][0-9]* requests");
        assertThat(loaded.failures()).as("failed requests of " + loaded.done()).isEmpty();
    }
}
