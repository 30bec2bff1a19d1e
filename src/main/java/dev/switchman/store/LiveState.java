package dev.switchman.store;

import dev.switchman.model.Colour;
import java.time.Instant;

/** Which colour of an application serves users, at which version. */
public record LiveState(String application, Colour colour, String version, Instant since) {}
