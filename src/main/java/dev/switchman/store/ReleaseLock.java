package dev.switchman.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The release lock: a PostgreSQL session advisory lock per application, held by the store's connection, so it
 * dies with the coordinator's session. Blocking: called by the store on a worker, on the store's connection.
 */
final class ReleaseLock {
    /** First half of the lock's key: "SWMN". */
    private static final int KEY_SPACE = 0x53574D4E;

    private ReleaseLock() {}

    /** Takes the lock if no other session holds it; false when another does. */
    static boolean tryLock(Connection c, String application) throws SQLException {
        return query(c, "select pg_try_advisory_lock(?, hashtext(?))", application);
    }

    static void unlock(Connection c, String application) throws SQLException {
        query(c, "select pg_advisory_unlock(?, hashtext(?))", application);
    }

    /**
     * The lock granted in pg_locks: a two-key advisory lock (objsubid 2) in this database (pg_locks lists the whole
     * server's, and another database's application of the same name is another store's).
     */
    private static final String GRANTED = "select exists (select 1 from pg_locks where locktype = 'advisory' and granted"
            + " and database = (select oid from pg_database where datname = current_database()) and objsubid = 2"
            + " and classid = ?::int::oid and objid = hashtext(?)::oid";

    /** Whether this session holds the lock now (it is lost when the session is). */
    static boolean holdsLock(Connection c, String application) throws SQLException {
        return query(c, GRANTED + " and pid = pg_backend_pid())", application);
    }

    /** Whether any session (this one too) holds the lock: read, never taken, so no one is refused meanwhile. */
    static boolean lockHeld(Connection c, String application) throws SQLException {
        return query(c, GRANTED + ")", application);
    }

    /** A one-value boolean query on the application's lock: key space first, application second. */
    private static boolean query(Connection c, String query, String application) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setInt(1, KEY_SPACE);
            ps.setString(2, application);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
