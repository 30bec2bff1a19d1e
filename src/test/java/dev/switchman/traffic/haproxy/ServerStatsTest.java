package dev.switchman.traffic.haproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.traffic.RouterStatus.ColourStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HAProxy's per-server counters read so that a window's errors are always among its requests. */
class ServerStatsTest {
    private static final String HEADER = "# pxname,svname,scur,stot,econ,eresp,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,rtime,cli_abrt\n";

    @Test
    void requestsAreTheEndedOnesNotTheOnesSent() {
        // 12 sent and not answered yet (in flight): stot counts them, the answers do not.
        Map<String, ColourStats> stats = ServerStats.parse(HEADER + "app,green,12,70,1,2,0,30,0,5,20,0,3,4\n");
        ColourStats green = stats.get("green");
        assertThat(green.requests()).isEqualTo(1 + 2 + 30 + 5 + 20);
        assertThat(green.errors()).isEqualTo(1 + 2 + 20);
        assertThat(green.inFlight()).isEqualTo(12);
        assertThat(green.clientAborts()).isEqualTo(4);
    }

    @Test
    void aWindowSeesNoMoreErrorsThanRequestsWhateverWasInFlightWhenItOpened() {
        ColourStats before = ServerStats.parse(HEADER + "app,green,40,100,0,0,0,60,0,0,0,0,3,0\n").get("green");
        // The 40 in flight then were all answered 500, with 9 more sent and answered 500 too.
        ColourStats after = ServerStats.parse(HEADER + "app,green,0,109,0,0,0,60,0,0,49,0,3,0\n").get("green");
        long requests = after.requests() - before.requests();
        long errors = after.errors() - before.errors();
        assertThat(errors).isEqualTo(49);
        assertThat(requests).isGreaterThanOrEqualTo(errors);
    }
}
