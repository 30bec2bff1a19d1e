package dev.switchman.store;

/**
 * What people decided about a running release: {@code awaiting} names the promote it waits for (null when it waits
 * for none), {@code approvals} counts the promotes it got so far, {@code abortRequested} is the reason a person asked
 * it to stop (null when nobody did).
 */
public record Decision(String awaiting, int approvals, String abortRequested) {

    public boolean waiting() {
        return awaiting != null;
    }
}
