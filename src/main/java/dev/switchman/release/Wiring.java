package dev.switchman.release;

import dev.switchman.backup.Backup;
import dev.switchman.config.ConfigException;
import dev.switchman.config.DatabaseConfig;
import dev.switchman.config.LoadedConfig;
import dev.switchman.config.StrategyConfig;
import dev.switchman.config.SwitchmanConfig;
import dev.switchman.config.ConfigLoader;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.db.EmbeddedDatabase;
import dev.switchman.health.HealthProvider;
import dev.switchman.health.Metric;
import dev.switchman.health.MetricKind;
import dev.switchman.migration.Migrator;
import dev.switchman.migration.MigratorProvider;
import dev.switchman.platform.PlatformProvider;
import dev.switchman.spi.Kinds;
import dev.switchman.spi.ProviderContext;
import dev.switchman.store.PgReleaseStore;
import dev.switchman.traffic.Router;
import dev.switchman.traffic.RouterDaemon;
import dev.switchman.traffic.RouterProvider;
import io.vertx.core.Vertx;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything a release works through, built from one config: the database (the embedded server is started when
 * it is not running), Vert.x, the store, and each seam found by its kind. The CLI and a server open it alike.
 */
public final class Wiring implements AutoCloseable {
    private static final Duration STOP_BOUND = Duration.ofSeconds(30);

    public final LoadedConfig config;
    public final Vertx vertx;
    public final Clock clock;
    public final DatabaseInfo database;
    public final Seams seams;
    /** The router process Switchman serves itself, when the router kind has one. */
    public final Optional<RouterDaemon> routerDaemon;
    /** An embedded database this wiring started only to read, stopped again when it closes. */
    private EmbeddedDatabase startedToRead;

    private Wiring(ProviderContext ctx, Seams seams, Optional<RouterDaemon> routerDaemon) {
        this.config = ctx.config();
        this.vertx = ctx.vertx();
        this.clock = ctx.clock();
        this.database = ctx.database();
        this.seams = seams;
        this.routerDaemon = routerDaemon;
    }

    public static Wiring open(LoadedConfig config) {
        return open(config, database(config));
    }

    /**
     * For commands that only read (status, history, plan): an embedded database that is not running is started for
     * the command and stopped when it closes, so reading leaves nothing running that was not before.
     */
    public static Wiring openToRead(LoadedConfig config) {
        if (!config.config().database().isEmbedded()) {
            return open(config);
        }
        EmbeddedDatabase embedded = new EmbeddedDatabase(config.stateDir());
        boolean wasRunning = embedded.running().isPresent();
        Wiring wiring;
        try {
            wiring = open(config, embedded.ensureRunning());
        } catch (RuntimeException e) {
            if (!wasRunning) {
                embedded.stop(STOP_BOUND);
            }
            throw e;
        }
        wiring.startedToRead = wasRunning ? null : embedded;
        return wiring;
    }

    private static Wiring open(LoadedConfig config, DatabaseInfo database) {
        Clock clock = Clock.systemUTC();
        Vertx vertx = Vertx.vertx();
        PgReleaseStore store = null;
        try {
            try {
                store = PgReleaseStore.connect(vertx, clock, database);
            } catch (SQLException e) {
                throw new ConfigException("database " + database + " is unreachable (" + e.getMessage()
                        + "): check database.url and database.user in " + config.file()
                        + (database.passwordEnv() == null ? "" : " and the variable " + database.passwordEnv()));
            }
            ProviderContext ctx = new ProviderContext(vertx, config, database, ProviderContext.basePlaceholders(config, database), clock);
            SwitchmanConfig cfg = config.config();
            RouterProvider routerKind = Kinds.provider(RouterProvider.class, cfg.router());
            Router router = routerKind.create(ctx, cfg.router());
            Seams seams = new Seams(
                    Kinds.provider(PlatformProvider.class, cfg.platform()).create(ctx, cfg.platform()),
                    router,
                    Kinds.provider(MigratorProvider.class, cfg.migrator()).create(ctx, cfg.migrator()),
                    Kinds.provider(HealthProvider.class, cfg.health()).create(ctx, cfg.health()),
                    metrics(ctx, router),
                    store,
                    Optional.ofNullable(cfg.backup()).map(b -> new Backup(vertx, config, database, ctx.placeholders(), clock)));
            return new Wiring(ctx, seams, routerKind.daemon(config, cfg.router()));
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            vertx.close();
            throw e;
        }
    }

    /**
     * The strategy's metrics, each built by its kind; none written means the router's own counters; a command that
     * read no strategy (tearing down) measures nothing.
     */
    private static List<Metric> metrics(ProviderContext ctx, Router router) {
        if (ctx.config().strategy() == null) {
            return List.of();
        }
        List<StrategyConfig.Metric> written = ctx.config().strategy().analysis().metrics();
        if (written == null) {
            written = List.of(new StrategyConfig.Metric("router", null, null, null,
                    ConfigLoader.defaults(Kinds.settingsType(MetricKind.SECTION, "router"))));
        }
        List<Metric> metrics = new ArrayList<>();
        for (StrategyConfig.Metric metric : written) {
            metrics.add(new Metric(metric, Kinds.provider(MetricKind.class, metric.kind()).create(ctx, metric.kind(), router)));
        }
        return List.copyOf(metrics);
    }

    /**
     * The config's migrator alone, with no database opened or started: for the lint, which reads changes and the
     * SQL they run. A migrator that needs the database for that (a plan command asking the tool's revision)
     * connects when it does.
     */
    public static Migrator migratorOnly(Vertx vertx, LoadedConfig config) {
        DatabaseConfig db = config.config().database();
        return migratorOn(vertx, config, db.isEmbedded() ? new EmbeddedDatabase(config.stateDir()).expected() : database(config));
    }

    /**
     * The config's migrator working on {@code database} instead of the application's (a rehearsal's throwaway
     * server): its commands and checks get {@code database}'s libpq variables and {@code {db.*}} placeholders.
     */
    public static Migrator migratorOn(Vertx vertx, LoadedConfig config, DatabaseInfo database) {
        ProviderContext ctx = new ProviderContext(vertx, config, database, ProviderContext.basePlaceholders(config, database),
                Clock.systemUTC());
        return Kinds.provider(MigratorProvider.class, config.config().migrator()).create(ctx, config.config().migrator());
    }

    /** The router process Switchman serves itself for this config, without opening the database. */
    public static Optional<RouterDaemon> routerDaemon(LoadedConfig config) {
        return Kinds.provider(RouterProvider.class, config.config().router()).daemon(config, config.config().router());
    }

    /** The embedded server (started if needed) or the configured external one. */
    public static DatabaseInfo database(LoadedConfig config) {
        DatabaseConfig db = config.config().database();
        if (db.isEmbedded()) {
            return new EmbeddedDatabase(config.stateDir()).ensureRunning();
        }
        try {
            return DatabaseInfo.fromJdbcUrl(db.url(), db.user(), db.passwordEnv());
        } catch (RuntimeException e) {
            throw new ConfigException(config.file() + ": database.url is not jdbc:postgresql://host[:port]/name");
        }
    }

    @Override
    public void close() {
        seams.store().close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        if (startedToRead != null) {
            startedToRead.stop(STOP_BOUND);
        }
    }
}
