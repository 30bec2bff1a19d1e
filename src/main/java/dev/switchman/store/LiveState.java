package dev.switchman.store;

import dev.switchman.release.Colour;
import java.time.Instant;

/** Which colour of an application serves users, at which version. */
public record LiveState(String application, Colour colour, String version, Instant since) {}
