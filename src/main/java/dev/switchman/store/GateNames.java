package dev.switchman.store;

import java.util.Map;

/**
 * Gate names as older versions of Switchman stored them, when gates still carried slot colours in their names: a
 * row written then reads as today's name.
 */
final class GateNames {
    private static final Map<String, String> RENAMED = Map.of(
            "verify-blue", "verify-live",
            "deploy-green", "deploy-new",
            "check-green", "check-new",
            "retire-blue", "retire-live");

    private GateNames() {}

    static String current(String stored) {
        return stored == null ? null : RENAMED.getOrDefault(stored, stored);
    }
}
