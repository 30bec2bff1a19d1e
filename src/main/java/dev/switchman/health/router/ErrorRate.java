package dev.switchman.health.router;

import dev.switchman.model.Colour;
import dev.switchman.traffic.RouterStatus;

/** What the router counted for one colour between two readings of its counters, judged against a limit. */
public record ErrorRate(Colour colour, long requests, long errors) {

    /** None when no request came, or when the counters went back between the readings. */
    public static ErrorRate between(RouterStatus before, RouterStatus after, Colour colour) {
        long requests = after.stats(colour).requests() - before.stats(colour).requests();
        long errors = after.stats(colour).errors() - before.stats(colour).errors();
        return requests <= 0 ? new ErrorRate(colour, 0, 0) : new ErrorRate(colour, requests, errors);
    }

    /** No request at all passes: nothing went wrong that the router saw. */
    public boolean within(double maxErrorRate) {
        return requests == 0 || (double) errors / requests <= maxErrorRate;
    }

    public String detail(double maxErrorRate) {
        if (requests == 0) {
            return "no requests reached " + colour + " in the window";
        }
        return String.format("%s: %d errors in %d requests (%.1f%%, limit %.1f%%)",
                colour, errors, requests, (double) errors / requests * 100, maxErrorRate * 100);
    }
}
