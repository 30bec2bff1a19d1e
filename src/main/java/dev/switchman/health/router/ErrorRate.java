package dev.switchman.health.router;

import dev.switchman.model.Colour;
import dev.switchman.traffic.RouterStatus;

/**
 * What the router counted for one colour between two readings of its counters, judged against a limit. Requests
 * whose client went away before the response ended are neither errors nor answers: they say nothing about the
 * upstream, and counting them as answers would dilute its error rate. Counters that went back between the
 * readings (a router that restarted) are {@code wentBack}: nothing can be said of that window.
 */
public record ErrorRate(Colour colour, long requests, long errors, long clientAborts, boolean wentBack) {

    public static ErrorRate between(RouterStatus before, RouterStatus after, Colour colour) {
        RouterStatus.ColourStats from = before.stats(colour);
        RouterStatus.ColourStats to = after.stats(colour);
        long routed = to.requests() - from.requests();
        long aborts = to.clientAborts() - from.clientAborts();
        long errors = to.errors() - from.errors();
        if (routed < 0 || aborts < 0 || errors < 0) {
            return new ErrorRate(colour, 0, 0, 0, true);
        }
        return new ErrorRate(colour, Math.max(0, routed - aborts), errors, aborts, false);
    }

    public boolean within(double maxErrorRate) {
        return requests == 0 || (double) errors / requests <= maxErrorRate;
    }

    public String detail(double maxErrorRate) {
        if (wentBack) {
            return colour + ": the router's counters went back (it restarted): the window starts again";
        }
        if (requests == 0) {
            return "no requests reached " + colour + " in the window";
        }
        return String.format("%s: %d errors in %d requests (%.1f%%, limit %.1f%%)%s",
                colour, errors, requests, (double) errors / requests * 100, maxErrorRate * 100,
                clientAborts == 0 ? "" : ", " + clientAborts + " clients went away");
    }
}
