package dev.switchman.release;

import dev.switchman.backup.Backup;
import dev.switchman.health.HealthCheck;
import dev.switchman.health.Metric;
import dev.switchman.migration.Migrator;
import dev.switchman.platform.Platform;
import dev.switchman.store.ReleaseStore;
import dev.switchman.traffic.Router;
import java.util.List;
import java.util.Optional;

/**
 * The implementations a release works through, each chosen by its config's {@code type}; the new version is judged
 * by {@code metrics}, the strategy's (the router's own counters against its {@code maxErrorRate} by default); {@code backup}
 * is the backup taken before expand, when the config has a {@code backup} section.
 */
public record Seams(Platform platform, Router router, Migrator migrator, HealthCheck health, List<Metric> metrics,
                    ReleaseStore store, Optional<Backup> backup) {}
