package dev.switchman.model;

import java.util.Locale;

/** A slot of the application. Colours are slots, not versions: after a release the other colour is live. */
public enum Colour {
    BLUE, GREEN;

    /** The slot a new version goes into: the one that is not live, or blue when nothing is live yet. */
    public static Colour forNewVersion(Colour live) {
        return live == null ? BLUE : live.other();
    }

    public Colour other() {
        return this == BLUE ? GREEN : BLUE;
    }

    /** The lower-case name used in configs, placeholders, the router's API and the store. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Colour of(String id) {
        for (Colour colour : values()) {
            if (colour.id().equalsIgnoreCase(id)) {
                return colour;
            }
        }
        throw new IllegalArgumentException("unknown colour '" + id + "' (expected blue or green)");
    }

    @Override
    public String toString() {
        return id();
    }
}
