package dev.switchman.rehearse;

import dev.switchman.config.DatabaseConfig;
import dev.switchman.config.LoadedConfig;
import dev.switchman.db.DatabaseInfo;
import dev.switchman.db.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The application's database, asked only whether it can be read: an embedded one only when it is running (a
 * rehearsal never starts it), an external one when it answers a read-only session. {@code database} is null when
 * it cannot be read, and {@code why} says why. A rehearsal reads nothing else of it than the migrator's history,
 * read-only.
 */
public record ApplicationDatabase(DatabaseInfo database, String serverVersion, String why) {

    public boolean readable() {
        return database != null;
    }

    public static ApplicationDatabase probe(LoadedConfig config) {
        DatabaseConfig db = config.config().database();
        DatabaseInfo info;
        if (db.isEmbedded()) {
            EmbeddedDatabase embedded = new EmbeddedDatabase(config.stateDir());
            var running = embedded.running();
            if (running.isEmpty()) {
                return new ApplicationDatabase(null, null, "the embedded database (" + embedded + ") is not running,"
                        + " and a rehearsal never starts it");
            }
            info = running.get();
        } else {
            try {
                info = DatabaseInfo.fromJdbcUrl(db.url(), db.user(), db.passwordEnv());
            } catch (RuntimeException e) {
                return new ApplicationDatabase(null, null, "database.url in " + config.file() + " is not"
                        + " jdbc:postgresql://host[:port]/name");
            }
        }
        try (Connection c = info.open(); Statement st = c.createStatement()) {
            st.execute("set session characteristics as transaction read only");
            try (ResultSet rs = st.executeQuery("select current_setting('server_version')")) {
                rs.next();
                return new ApplicationDatabase(info, rs.getString(1), null);
            }
        } catch (SQLException e) {
            return new ApplicationDatabase(null, null, "the application's database " + info + " is unreachable ("
                    + e.getMessage() + ")");
        }
    }

    /** For a rehearsal told not to read it. */
    public static ApplicationDatabase notRead(String why) {
        return new ApplicationDatabase(null, null, why);
    }
}
