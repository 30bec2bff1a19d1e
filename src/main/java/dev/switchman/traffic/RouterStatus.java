package dev.switchman.traffic;

import dev.switchman.model.Colour;
import java.util.Map;

/** What a router reports: the target it applies and, where it can count them, requests per colour. */
public record RouterStatus(TrafficTarget target, Map<Colour, ColourStats> stats) {

    /**
     * Counters since the router started; {@code inFlight} is the number of requests being served right now.
     * {@code errors} are what the upstream did wrong (refused, reset or timed out, or answered 5xx);
     * {@code clientAborts} are requests whose client went away before the response ended, never errors;
     * {@code latency} the answered requests' response times.
     */
    public record ColourStats(long requests, long errors, long inFlight, double meanLatencyMillis, long clientAborts,
                              LatencyHistogram latency) {
        public static final ColourStats NONE = new ColourStats(0, 0, 0, 0, 0);

        public ColourStats {
            latency = latency == null ? LatencyHistogram.EMPTY : latency;
        }

        /** For a router that counts no latency histogram. */
        public ColourStats(long requests, long errors, long inFlight, double meanLatencyMillis, long clientAborts) {
            this(requests, errors, inFlight, meanLatencyMillis, clientAborts, null);
        }

        /** For a router that cannot tell client aborts apart. */
        public ColourStats(long requests, long errors, long inFlight, double meanLatencyMillis) {
            this(requests, errors, inFlight, meanLatencyMillis, 0);
        }
    }

    public ColourStats stats(Colour colour) {
        return stats.getOrDefault(colour, ColourStats.NONE);
    }
}
