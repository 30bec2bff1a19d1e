package dev.switchman.store;

import dev.switchman.db.DatabaseInfo;
import dev.switchman.model.Colour;
import dev.switchman.model.ConflictException;
import dev.switchman.model.Endpoint;
import dev.switchman.model.ReleaseState;
import dev.switchman.model.SlotRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@link ReleaseStore} in PostgreSQL, schema {@code switchman} (see {@link StoreSchema}). One JDBC connection in
 * auto-commit mode, used on worker threads (never an event loop) one statement at a time: the connection is the
 * lock. It also holds the release lock ({@link ReleaseLock}), a session advisory lock that dies with it.
 */
public final class PgReleaseStore implements ReleaseStore {
    public static final String SCHEMA = StoreSchema.NAME;
    private static final String UNIQUE_VIOLATION = "23505";
    /** The states that hold an application, as SQL; the changelog's unique index lists the same ones. */
    private static final String UNFINISHED = Arrays.stream(ReleaseState.values()).filter(ReleaseState::unfinished)
            .map(state -> "'" + state.name() + "'").collect(Collectors.joining(", "));

    private final Vertx vertx;
    private final Clock clock;
    private final Connection connection;

    private PgReleaseStore(Vertx vertx, Clock clock, Connection connection) {
        this.vertx = vertx;
        this.clock = clock;
        this.connection = connection;
    }

    /** Connects; fails when the database cannot be reached. Blocking: call from a worker or the CLI thread. */
    public static PgReleaseStore connect(Vertx vertx, Clock clock, DatabaseInfo database) throws SQLException {
        return new PgReleaseStore(vertx, clock, database.open());
    }

    @FunctionalInterface
    private interface Sql<T> {
        T run(Connection c) throws Exception;
    }

    private <T> Future<T> sql(Sql<T> work) {
        return vertx.executeBlocking(() -> {
            synchronized (connection) {
                return work.run(connection);
            }
        });
    }

    @Override
    public Future<Void> migrate() {
        return sql(c -> {
            StoreSchema.migrate(c);
            return null;
        });
    }

    @Override
    public Future<Boolean> schemaCurrent() {
        return sql(StoreSchema::current);
    }

    @Override
    public Future<Boolean> tryLock(String application) {
        return sql(c -> ReleaseLock.tryLock(c, application));
    }

    @Override
    public Future<Void> unlock(String application) {
        return sql(c -> {
            ReleaseLock.unlock(c, application);
            return null;
        });
    }

    @Override
    public Future<Boolean> holdsLock(String application) {
        return sql(c -> ReleaseLock.holdsLock(c, application));
    }

    @Override
    public Future<Boolean> lockHeld(String application) {
        return sql(c -> ReleaseLock.lockHeld(c, application));
    }

    @Override
    public Future<ReleaseRecord> begin(String application, String version, Colour from, String fromVersion, Colour to, String changelog) {
        return sql(c -> {
            // The lock gate creates the row, so the row is at that gate until the next one is reached.
            String insert = "insert into switchman.releases (application, version, from_colour, from_version, to_colour,"
                    + " changelog, state, gate, started_at) values (?, ?, ?, ?, ?, ?, 'RUNNING', '" + GateNames.FIRST
                    + "', ?) returning id";
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                ps.setString(1, application);
                ps.setString(2, version);
                ps.setString(3, from == null ? null : from.id());
                ps.setString(4, fromVersion);
                ps.setString(5, to.id());
                ps.setString(6, changelog);
                ps.setTimestamp(7, Timestamp.from(clock.instant()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return findRelease(c, rs.getLong(1)).orElseThrow();
                }
            } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    ReleaseRecord other = findUnfinished(c, application).orElse(null);
                    throw new ConflictException(Conflicts.describe(application, other));
                }
                throw e;
            }
        });
    }

    @Override
    public Future<Optional<ReleaseRecord>> unfinished(String application) {
        return sql(c -> findUnfinished(c, application));
    }

    @Override
    public Future<List<ReleaseRecord>> history(String application, int limit) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select * from switchman.releases where application = ? order by id desc limit ?")) {
                ps.setString(1, application);
                ps.setInt(2, limit);
                return releases(ps);
            }
        });
    }

    @Override
    public Future<Optional<String>> schemaTag(String application, boolean undoesExpand) {
        return sql(c -> {
            // A rolled-back release undid its expand unless ExpandGate kept it (traffic reached it, or undoExpand is off);
            // FAILED is FAILED_PAST_CONTRACT as older versions stored it.
            try (PreparedStatement ps = c.prepareStatement("select schema_tag from switchman.releases where application = ?"
                    + " and schema_tag is not null and (state in ('RELEASED', 'FAILED_PAST_CONTRACT', 'FAILED', " + UNFINISHED + ")"
                    + " or (state = 'ROLLED_BACK' and (traffic_shifted or not ?))) order by id desc limit 1")) {
                ps.setString(1, application);
                ps.setBoolean(2, undoesExpand);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public Future<ReleaseRecord> transition(long id, ReleaseState next, String gate, String reason) {
        return sql(c -> {
            ReleaseRecord current = findRelease(c, id).orElseThrow(() -> new IllegalStateException("no release " + id));
            if (!current.state().canMoveTo(next)) {
                throw new IllegalStateException("release " + id + " is " + current.state() + " and cannot become " + next);
            }
            boolean ends = !next.unfinished();
            try (PreparedStatement ps = c.prepareStatement("update switchman.releases set state = ?,"
                    + " gate = coalesce(?, gate), reason = coalesce(?, reason), ended_at = ? where id = ? and state = ?")) {
                ps.setString(1, next.name());
                ps.setString(2, gate);
                ps.setString(3, reason);
                ps.setTimestamp(4, ends ? Timestamp.from(clock.instant()) : null);
                ps.setLong(5, id);
                ps.setString(6, current.state().name());
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("release " + id + " changed state while moving to " + next);
                }
            }
            return findRelease(c, id).orElseThrow();
        });
    }

    @Override
    public Future<Void> gateReached(long id, String gate) {
        return update("update switchman.releases set gate = ? where id = ?", gate, id);
    }

    @Override
    public Future<Void> schemaTagged(long id, String tag) {
        return update("update switchman.releases set schema_tag = ? where id = ?", tag, id);
    }

    @Override
    public Future<Void> trafficShifted(long id) {
        return update("update switchman.releases set traffic_shifted = true where id = ?", id);
    }

    @Override
    public Future<Void> backedUp(long id, ReleaseRecord.Backup backup) {
        return update("update switchman.releases set backup_location = ?, backup_bytes = ?, backup_duration_ms = ? where id = ?",
                backup.location(), backup.bytes(), backup.durationMs(), id);
    }

    @Override
    public Future<Void> append(Event event) {
        return update("insert into switchman.events (release_id, gate, kind, at, duration_ms, detail) values (?, ?, ?, ?, ?, ?)",
                event.releaseId(), event.gate(), event.kind().name(), Timestamp.from(event.at()), event.durationMs(), event.detail());
    }

    @Override
    public Future<Integer> awaitPromote(long id, String what) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "update switchman.releases set awaiting = ? where id = ? returning approvals")) {
                ps.setString(1, what);
                ps.setLong(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no release " + id);
                    }
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public Future<Void> clearAwaiting(long id, String what) {
        return update("update switchman.releases set awaiting = null where id = ? and awaiting = ?", id, what);
    }

    @Override
    public Future<Boolean> promote(long id, String awaiting) {
        // One statement: the wait approved is the one the caller saw, and a second promote finds it approved already.
        return changed("update switchman.releases set approvals = approvals + 1, awaiting = null"
                + " where id = ? and state = 'RUNNING' and awaiting = ?", id, awaiting);
    }

    @Override
    public Future<Boolean> requestAbort(long id, String reason) {
        return changed("update switchman.releases set abort_requested = coalesce(abort_requested, ?)"
                + " where id = ? and state = 'RUNNING'", reason, id);
    }

    @Override
    public Future<Optional<Decision>> decision(long id) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select awaiting, approvals, abort_requested from switchman.releases where id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Decision(rs.getString(1), rs.getInt(2), rs.getString(3)))
                            : Optional.<Decision>empty();
                }
            }
        });
    }

    @Override
    public Future<List<Event>> events(long releaseId) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select * from switchman.events where release_id = ? order by id")) {
                ps.setLong(1, releaseId);
                List<Event> events = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long duration = rs.getLong("duration_ms");
                        Long durationMs = rs.wasNull() ? null : duration;
                        events.add(new Event(releaseId, rs.getString("gate"), Event.Kind.valueOf(rs.getString("kind")),
                                rs.getTimestamp("at").toInstant(), durationMs, rs.getString("detail")));
                    }
                }
                return events;
            }
        });
    }

    @Override
    public Future<Void> saveSlot(SlotRecord slot) {
        return update("insert into switchman.slots (application, colour, version, handle, started_at, endpoints, log_file)"
                        + " values (?, ?, ?, ?, ?, ?, ?) on conflict (application, colour) do update set version = excluded.version,"
                        + " handle = excluded.handle, started_at = excluded.started_at, endpoints = excluded.endpoints,"
                        + " log_file = excluded.log_file",
                slot.application(), slot.colour().id(), slot.version(), slot.handle(),
                slot.startedAt() == null ? null : Timestamp.from(slot.startedAt()),
                String.join(",", slot.endpoints().stream().map(Endpoint::toString).toList()), slot.logFile());
    }

    @Override
    public Future<Optional<SlotRecord>> slot(String application, Colour colour) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select * from switchman.slots where application = ? and colour = ?")) {
                ps.setString(1, application);
                ps.setString(2, colour.id());
                return slots(ps).stream().findFirst();
            }
        });
    }

    @Override
    public Future<List<SlotRecord>> slots(String application) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select * from switchman.slots where application = ? order by colour")) {
                ps.setString(1, application);
                return slots(ps);
            }
        });
    }

    @Override
    public Future<Void> deleteSlot(String application, Colour colour) {
        return update("delete from switchman.slots where application = ? and colour = ?", application, colour.id());
    }

    @Override
    public Future<Optional<LiveState>> live(String application) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select * from switchman.applications where application = ? and live_colour is not null")) {
                ps.setString(1, application);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new LiveState(application, Colour.of(rs.getString("live_colour")),
                            rs.getString("live_version"), rs.getTimestamp("updated_at").toInstant()));
                }
            }
        });
    }

    @Override
    public Future<Void> setLive(String application, Colour colour, String version) {
        return update("insert into switchman.applications (application, live_colour, live_version, updated_at)"
                        + " values (?, ?, ?, ?) on conflict (application) do update set live_colour = excluded.live_colour,"
                        + " live_version = excluded.live_version, updated_at = excluded.updated_at",
                application, colour.id(), version, Timestamp.from(clock.instant()));
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing a broken connection: nothing left to release.
        }
    }

    private Future<Void> update(String statement, Object... args) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Runs one update; true when it changed a row. */
    private Future<Boolean> changed(String statement, Object... args) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate() > 0;
            }
        });
    }

    private static Optional<ReleaseRecord> findUnfinished(Connection c, String application) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select * from switchman.releases where application = ?"
                + " and state in (" + UNFINISHED + ") order by id desc limit 1")) {
            ps.setString(1, application);
            return releases(ps).stream().findFirst();
        }
    }

    private static Optional<ReleaseRecord> findRelease(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select * from switchman.releases where id = ?")) {
            ps.setLong(1, id);
            return releases(ps).stream().findFirst();
        }
    }

    private static List<ReleaseRecord> releases(PreparedStatement ps) throws SQLException {
        List<ReleaseRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ReleaseRecord(
                        rs.getLong("id"), rs.getString("application"), rs.getString("version"),
                        colour(rs.getString("from_colour")), rs.getString("from_version"), colour(rs.getString("to_colour")),
                        rs.getString("changelog"), ReleaseState.of(rs.getString("state")), rs.getString("gate"),
                        rs.getString("reason"), rs.getString("schema_tag"), rs.getBoolean("traffic_shifted"),
                        instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("ended_at")), backup(rs)));
            }
        }
        return out;
    }

    private static ReleaseRecord.Backup backup(ResultSet rs) throws SQLException {
        String location = rs.getString("backup_location");
        return location == null ? null
                : new ReleaseRecord.Backup(location, rs.getLong("backup_bytes"), rs.getLong("backup_duration_ms"));
    }

    private static List<SlotRecord> slots(PreparedStatement ps) throws SQLException {
        List<SlotRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String endpoints = rs.getString("endpoints");
                out.add(new SlotRecord(rs.getString("application"), Colour.of(rs.getString("colour")),
                        rs.getString("version"), rs.getString("handle"), instant(rs.getTimestamp("started_at")),
                        endpoints.isEmpty() ? List.of() : Arrays.stream(endpoints.split(",")).map(Endpoint::parse).toList(),
                        rs.getString("log_file")));
            }
        }
        return out;
    }

    private static Colour colour(String id) {
        return id == null ? null : Colour.of(id);
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
