package dev.switchman.store;

import java.util.Map;

/**
 * Gate names as older versions of Switchman stored them, when gates still carried slot colours in their names (or
 * no name before a release's second gate): a row written then reads as today's name.
 */
final class GateNames {
    private static final Map<String, String> RENAMED = Map.of(
            "verify-blue", "verify-live",
            "deploy-green", "deploy-new",
            "check-green", "check-new",
            "retire-blue", "retire-live");

    /** The gate that creates a release's row. */
    static final String FIRST = "lock";

    private GateNames() {}

    static String current(String stored) {
        return stored == null ? null : RENAMED.getOrDefault(stored, stored);
    }

    /**
     * The gate a release row has reached. Older versions left it empty until the gate after the lock was reached,
     * so a release killed in the lock gate reads as at the lock gate.
     */
    static String reached(String stored) {
        return stored == null ? FIRST : current(stored);
    }
}
