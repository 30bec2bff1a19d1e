package dev.switchman.release;

import dev.switchman.health.HealthCheck;
import dev.switchman.migration.Migrator;
import dev.switchman.platform.Platform;
import dev.switchman.store.ReleaseStore;
import dev.switchman.traffic.Router;

/** The implementations a release works through, each chosen by its config's {@code type}. */
public record Seams(Platform platform, Router router, Migrator migrator, HealthCheck health, ReleaseStore store) {}
