package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.support.FrontStack;
import dev.switchman.support.GreeterStack;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Releases through a real nginx on the shipped switchman-site.conf.example, added to an nginx already running. nginx
 * counts nothing per colour, so the strategy judges by the health checks alone ({@code analysis.metrics: []}). With
 * fixed slot ports only the first two releases change endpoints: the first (nothing to blue) and the second (green
 * joins) reload nginx, and no release after them does. The second release's reload may fail requests on closed
 * keep-alive connections, and those are measured; the releases after it must fail none.
 */
class NginxReleaseTest extends FrontReleaseTest {

    @Override
    String strategy() {
        return STRATEGY.replace("  onInconclusive: fail\n",
                "  onInconclusive: fail\n  metrics: []        # nginx counts nothing per colour: the health checks judge\n");
    }

    @Override
    FrontStack start(GreeterStack stack) throws IOException {
        return FrontStack.nginx(stack);
    }

    @Override
    Object unreloaded() {
        return front.processes(); // nginx's master and workers: a reload starts new workers
    }

    @Test
    void aReleaseThatChangesNoEndpointFailsNoRequest() {
        releaseV2UnderLoad();

        // v3 goes into blue at the port v1 had: the include stays as it is, nginx is not reloaded.
        List<Long> processes = front.processes();
        Loaded loaded = releaseUnderLoad("v2", "v3");
        assertThat(front.processes()).as("nginx's master and workers: no reload").isEqualTo(processes);
        assertThat(loaded.failures()).as("failed requests of " + loaded.done()).isEmpty();
        assertThat(front.get()).isEqualTo("200 Hello from greeter v3");
        assertThat(stack.cli("status").stdout()).contains("live         blue (v3)").contains("weights      blue 100%, green 0%");
    }

    /**
     * Green's endpoint joins the include at the first shift, so nginx reloads once: a client whose keep-alive
     * connection it closes just as the client sends on it sees that request fail, and nothing else may fail.
     */
    @Override
    void releaseV2UnderLoad() {
        List<Long> before = front.processes();
        Loaded loaded = releaseUnderLoad("v1", "v2");
        assertThat(front.processes()).as("reloaded: new workers").isNotEqualTo(before);
        assertThat(loaded.failures()).as("only requests on connections the reload closed fail")
                .allMatch(failure -> failure.contains("Connection was closed") || failure.contains("Connection reset"));
    }
}
