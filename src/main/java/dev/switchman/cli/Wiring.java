package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.config.DatabaseConfig;
import dev.switchman.config.LoadedConfig;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.db.EmbeddedDatabase;
import dev.switchman.health.http.HttpHealthCheck;
import dev.switchman.migration.MigratorProvider;
import dev.switchman.platform.PlatformProvider;
import dev.switchman.release.Seams;
import dev.switchman.spi.Provider;
import dev.switchman.spi.ProviderContext;
import dev.switchman.store.PgReleaseStore;
import dev.switchman.traffic.RouterProvider;
import io.vertx.core.Vertx;
import java.sql.SQLException;
import java.time.Clock;

/**
 * Everything a command works through, built from one config: the database (the embedded server is started when
 * it is not running), Vert.x, the store with its schema, and each seam found by its type name.
 */
public final class Wiring implements AutoCloseable {
    public final LoadedConfig config;
    public final Vertx vertx;
    public final Clock clock;
    public final DatabaseInfo database;
    public final ProviderContext env;
    public final Seams seams;

    private Wiring(ProviderContext env, Seams seams) {
        this.config = env.config();
        this.vertx = env.vertx();
        this.clock = env.clock();
        this.database = env.database();
        this.env = env;
        this.seams = seams;
    }

    public static Wiring open(LoadedConfig config) {
        Clock clock = Clock.systemUTC();
        DatabaseInfo database = database(config);
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
            ProviderContext env = new ProviderContext(vertx, config, database, ProviderContext.basePlaceholders(config, database), clock);
            var cfg = config.config();
            Seams seams = new Seams(
                    Provider.find(PlatformProvider.class, cfg.platform().type(), "platform.type").create(env),
                    Provider.find(RouterProvider.class, cfg.router().type(), "router.type").create(env),
                    Provider.find(MigratorProvider.class, cfg.migrator().type(), "migrator.type").create(env),
                    new HttpHealthCheck(vertx, cfg.health(), clock, env.placeholders()),
                    store);
            return new Wiring(env, seams);
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            vertx.close();
            throw e;
        }
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
    }
}
