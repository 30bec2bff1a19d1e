package dev.switchman.migration.liquibase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.exception.LockException;
import liquibase.lockservice.DatabaseChangeLogLock;
import liquibase.lockservice.LockService;

/**
 * Liquibase's changelog lock on a PostgreSQL session advisory lock instead of the DATABASECHANGELOGLOCK row.
 * The row survives a killed process and blocks every later run until someone clears it by hand; an advisory
 * lock belongs to the session and is freed by PostgreSQL the moment the session ends, however it ends.
 * Found by Liquibase's service loader; chosen over the standard service for PostgreSQL by its priority.
 */
public class AdvisoryLockService implements LockService {
    /** First half of the lock key: "LQBS", so the lock is easy to find in pg_locks. */
    static final int KEY_SPACE = 0x4C514253;

    private Database database;
    private boolean held;
    private long waitMillis = 5 * 60_000L;

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE + 10;
    }

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public void setDatabase(Database database) {
        this.database = database;
    }

    @Override
    public void setChangeLogLockWaitTime(long minutes) {
        this.waitMillis = minutes * 60_000L;
    }

    @Override
    public void setChangeLogLockRecheckTime(long seconds) {
        // PostgreSQL wakes the waiter itself: no polling.
    }

    @Override
    public boolean hasChangeLogLock() {
        return held;
    }

    @Override
    public void waitForLock() throws LockException {
        if (held) {
            return;
        }
        // pg_advisory_lock honours lock_timeout, so the wait is bounded by PostgreSQL rather than a sleep loop.
        try (Statement st = connection().createStatement()) {
            String previous;
            try (ResultSet rs = st.executeQuery("select current_setting('lock_timeout')")) {
                rs.next();
                previous = rs.getString(1);
            }
            st.execute("set lock_timeout = " + Math.max(1, waitMillis));
            try (PreparedStatement ps = connection().prepareStatement("select pg_advisory_lock(?, hashtext(?))")) {
                ps.setInt(1, KEY_SPACE);
                ps.setString(2, lockName());
                ps.execute();
                held = true;
            } finally {
                if (!held && !connection().getAutoCommit()) {
                    connection().rollback(); // a timed-out wait aborted the transaction
                }
                try (PreparedStatement restore = connection().prepareStatement("select set_config('lock_timeout', ?, false)")) {
                    restore.setString(1, previous);
                    restore.execute();
                }
                commitIfNeeded();
            }
        } catch (SQLException e) {
            throw new LockException("could not take the migration lock on " + lockName() + " within "
                    + waitMillis / 1000 + " s: another migration holds it (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public boolean acquireLock() throws LockException {
        if (held) {
            return true;
        }
        try (PreparedStatement ps = connection().prepareStatement("select pg_try_advisory_lock(?, hashtext(?))")) {
            ps.setInt(1, KEY_SPACE);
            ps.setString(2, lockName());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                held = rs.getBoolean(1);
            }
            commitIfNeeded();
            return held;
        } catch (SQLException e) {
            throw new LockException(e);
        }
    }

    @Override
    public void releaseLock() throws LockException {
        if (!held) {
            return;
        }
        try (PreparedStatement ps = connection().prepareStatement("select pg_advisory_unlock(?, hashtext(?))")) {
            ps.setInt(1, KEY_SPACE);
            ps.setString(2, lockName());
            ps.execute();
            commitIfNeeded();
            held = false;
        } catch (SQLException e) {
            throw new LockException(e);
        }
    }

    @Override
    public DatabaseChangeLogLock[] listLocks() throws LockException {
        String sql = "select l.pid, a.backend_start, coalesce(a.client_addr::text, 'local') || ' pid ' || l.pid"
                + " from pg_locks l join pg_stat_activity a on a.pid = l.pid"
                + " where l.locktype = 'advisory' and l.granted and l.classid = ?::oid::int"
                + " and l.objid = hashtext(?)::oid";
        List<DatabaseChangeLogLock> locks = new ArrayList<>();
        try (PreparedStatement ps = connection().prepareStatement(sql)) {
            ps.setLong(1, Integer.toUnsignedLong(KEY_SPACE));
            ps.setString(2, lockName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    locks.add(new DatabaseChangeLogLock(rs.getInt(1), new Date(rs.getTimestamp(2).getTime()), rs.getString(3)));
                }
            }
            commitIfNeeded();
        } catch (SQLException e) {
            throw new LockException(e);
        }
        return locks.toArray(DatabaseChangeLogLock[]::new);
    }

    @Override
    public void forceReleaseLock() throws LockException {
        // Only the session that holds an advisory lock can release it; a dead session has already released it.
        releaseLock();
    }

    @Override
    public void reset() {
        held = false;
    }

    @Override
    public void init() {
        // No lock table to create.
    }

    @Override
    public void destroy() throws DatabaseException {
        // Nothing persisted.
    }

    /** One lock per database and changelog schema: two applications in different schemas migrate independently. */
    private String lockName() {
        String schema = database.getLiquibaseSchemaName() != null ? database.getLiquibaseSchemaName() : database.getDefaultSchemaName();
        return "liquibase:" + (schema == null ? "public" : schema);
    }

    private Connection connection() {
        if (database.getConnection() instanceof JdbcConnection jdbc) {
            return jdbc.getUnderlyingConnection();
        }
        throw new IllegalStateException("the advisory lock needs a JDBC connection");
    }

    /** Liquibase's connection does not auto-commit; the lock is a session lock and survives the commit. */
    private void commitIfNeeded() throws SQLException {
        if (!connection().getAutoCommit()) {
            connection().commit();
        }
    }
}
