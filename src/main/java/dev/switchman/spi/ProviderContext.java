package dev.switchman.spi;

import dev.switchman.config.LoadedConfig;
import dev.switchman.config.Placeholders;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.util.SwitchmanJar;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** What a seam's provider gets to build its implementation: the config, the database, placeholders, time. */
public record ProviderContext(Vertx vertx, LoadedConfig config, DatabaseInfo database, Placeholders placeholders, Clock clock) {

    /** The placeholder values common to every slot; a platform adds colour, version and port. */
    public static Placeholders basePlaceholders(LoadedConfig config, DatabaseInfo db) {
        Map<String, String> v = new HashMap<>();
        v.put("app", config.application());
        v.put("stateDir", config.stateDir().toString());
        v.put("db.url", db.jdbcUrl());
        v.put("db.libpqUrl", db.libpqUrl());
        v.put("db.host", db.host());
        v.put("db.port", Integer.toString(db.port()));
        v.put("db.name", db.name());
        v.put("db.user", db.user());
        v.put("db.passwordEnv", db.passwordEnv() == null ? "" : db.passwordEnv());
        v.put("java", ProcessHandle.current().info().command().orElse("java"));
        // Copying the jar into the host's state costs 43 MB on first use: only when a slot's command names it.
        return new Placeholders(v).withLazy("switchman.jar", () -> SwitchmanJar.stableCopy(config.stateDir()));
    }
}
