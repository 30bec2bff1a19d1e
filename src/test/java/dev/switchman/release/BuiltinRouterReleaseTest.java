package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.support.FrontStack;
import dev.switchman.support.GreeterStack;
import java.io.IOException;

/**
 * Releases through the builtin router running as {@code switchman router}, a process of its own that outlives every
 * release, judged by its own counters (the default analysis). No request may fail.
 */
class BuiltinRouterReleaseTest extends FrontReleaseTest {

    @Override
    String strategy() {
        return STRATEGY;
    }

    @Override
    FrontStack start(GreeterStack stack) throws IOException {
        return FrontStack.builtin(stack);
    }

    @Override
    Object unreloaded() {
        return front.processes(); // the router's process: a switch is a call to its admin API, never a restart
    }

    /** Judged by the router's counters at 50 %: no request may fail. */
    @Override
    void releaseV2UnderLoad() {
        Loaded loaded = releaseUnderLoad("v1", "v2");
        assertThat(loaded.run().stderr()).as("judged by the router's counters at 50 %")
                .containsPattern("50% to v2 in green: .*green: 0 errors in [1-9][0-9]* requests");
        assertThat(loaded.failures()).as("failed requests of " + loaded.done()).isEmpty();
    }
}
