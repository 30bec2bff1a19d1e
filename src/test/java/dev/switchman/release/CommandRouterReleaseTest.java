package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.support.FrontStack;
import dev.switchman.support.GreeterStack;
import java.io.IOException;

/**
 * Releases through {@code router.type: command}: curl driving the admin API of a router in a process of its own
 * (the builtin router, standing for one Switchman does not know), its {@code status} command printing the counters
 * that the default analysis judges. No request may fail.
 */
class CommandRouterReleaseTest extends FrontReleaseTest {

    @Override
    String strategy() {
        return STRATEGY;
    }

    @Override
    FrontStack start(GreeterStack stack) throws IOException {
        return FrontStack.builtinThroughCommands(stack);
    }

    @Override
    Object unreloaded() {
        return front.processes(); // the router's process: a switch is an HTTP call to it, never a restart
    }

    /** Judged by the router's counters, which the status command prints, at 50 %: no request may fail. */
    @Override
    void releaseV2UnderLoad() {
        Loaded loaded = releaseUnderLoad("v1", "v2");
        assertThat(loaded.run().stderr()).as("judged by the counters router.status prints, at 50 %")
                .containsPattern("50% to v2 in green: .*green: 0 errors in [1-9][0-9]* requests");
        assertThat(loaded.failures()).as("failed requests of " + loaded.done()).isEmpty();
    }
}
