package dev.switchman.rehearse;

import dev.switchman.db.DatabaseInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Samples, from a second session of its own, the table locks every other client session of the throwaway database
 * holds, every {@code interval} on a thread of its own, while a phase runs; keeps, per relation and mode, the first
 * sighting and the statement that session was running. Only client backends count (autovacuum is off on the
 * throwaway anyway), so the sessions sampled are the migration's: Liquibase's connection, or whatever a migration
 * tool opened. What sampling cannot see: a lock taken and released between two samples (a statement shorter than
 * the interval outside a longer transaction); {@link StatementLocks} covers DDL, whose locks last to the end of its
 * transaction. Blocking: start and stop it off the event loop.
 */
final class LockSampler implements AutoCloseable {
    private static final String QUERY = "select l.relation::bigint, n.nspname || '.' || c.relname, c.relkind::text,"
            + " l.mode, a.query from pg_locks l join pg_stat_activity a on a.pid = l.pid"
            + " left join pg_class c on c.oid = l.relation left join pg_namespace n on n.oid = c.relnamespace"
            + " where l.locktype = 'relation' and l.granted and l.pid <> pg_backend_pid()"
            + " and a.backend_type = 'client backend'"
            + " and l.database = (select oid from pg_database where datname = current_database())"
            + " and (n.nspname is null or (" + Relations.USER_SCHEMA + "))";

    record Sighting(long relation, String name, String kind, String mode, String statement) {}

    private final Connection connection;
    private final Duration interval;
    /** Counted down to stop: the wait between samples ends at once. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch firstDone = new CountDownLatch(1);
    private final Map<String, Sighting> seen = new LinkedHashMap<>();
    private final Thread thread;
    private volatile SQLException failure;
    private int samples;
    private long startNanos;
    private long endNanos;

    private LockSampler(Connection connection, Duration interval) {
        this.connection = connection;
        this.interval = interval;
        this.thread = Thread.ofPlatform().daemon().name("switchman-lock-sampler").unstarted(this::loop);
    }

    /** Connects and starts sampling; returns once the first sample is taken, so the phase starts observed. */
    static LockSampler start(DatabaseInfo database, Duration interval) throws SQLException, InterruptedException {
        LockSampler sampler = new LockSampler(database.open(), interval);
        sampler.thread.start();
        if (!sampler.firstDone.await(30, TimeUnit.SECONDS) || sampler.failure != null) {
            sampler.close();
            throw sampler.failure != null ? sampler.failure : new SQLException("the lock sampler took no sample in 30 s");
        }
        return sampler;
    }

    private void loop() {
        startNanos = System.nanoTime();
        try (PreparedStatement ps = connection.prepareStatement(QUERY)) {
            do {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Sighting s = new Sighting(rs.getLong(1), rs.getString(2),
                                rs.getString(3) == null ? null : Relations.kind(rs.getString(3)), rs.getString(4), rs.getString(5));
                        seen.putIfAbsent(s.relation() + " " + s.mode(), s);
                    }
                }
                samples++;
                firstDone.countDown();
            } while (!stopped.await(interval.toNanos(), TimeUnit.NANOSECONDS));
        } catch (SQLException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            endNanos = System.nanoTime();
            firstDone.countDown();
        }
    }

    /** Stops sampling and returns what it saw, each relation and mode once. */
    List<Sighting> stop() throws SQLException, InterruptedException {
        stopped.countDown();
        thread.join(Duration.ofSeconds(30));
        if (failure != null) {
            throw failure;
        }
        return new ArrayList<>(seen.values());
    }

    int samples() {
        return samples;
    }

    /** The mean time from one sample to the next, query included. */
    double meanIntervalMillis() {
        return samples <= 1 ? 0 : (endNanos - startNanos) / 1e6 / samples;
    }

    @Override
    public void close() {
        stopped.countDown();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a throwaway session: nothing to do about it
        }
    }
}
