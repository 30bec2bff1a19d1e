package dev.switchman.rehearse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one phase was seen to do to the database: the strongest lock it held on each relation (both ways of seeing
 * locks merged) and the relations it rewrote, with how many samples the sampler took. Left out: locks on the
 * migration tools' own history tables (the application never queries them) and on relations that exist neither
 * before nor after the phase and that the sampler could not see (toast tables, a rewrite's new heap).
 */
public record Observation(List<HeldLock> locks, List<Rewritten> rewritten, int samples, double sampleIntervalMillis) {

    /** A table or index that got a new file. */
    public record Rewritten(String name, String kind) {}

    static final Set<String> HISTORY_TABLES = Set.of("databasechangelog", "databasechangeloglock", "alembic_version",
            "flyway_schema_history");

    public static Observation none() {
        return new Observation(List.of(), List.of(), 0, 0);
    }

    static Observation of(List<LockSampler.Sighting> sampled, List<StatementLocks.Row> atStatementEnd, Relations before,
                          Relations after, int samples, double sampleIntervalMillis) {
        Map<Long, Seen> strongest = new LinkedHashMap<>();
        for (StatementLocks.Row row : atStatementEnd) {
            see(strongest, row.relation(), row.name(), row.kind(), LockMode.of(row.mode()), row.statement(), HeldLock.AT_STATEMENT_END);
        }
        for (LockSampler.Sighting s : sampled) {
            see(strongest, s.relation(), s.name(), s.kind(), LockMode.of(s.mode()), s.statement(), HeldLock.SAMPLED);
        }
        List<HeldLock> locks = new ArrayList<>();
        for (Seen seen : strongest.values()) {
            Relations.Relation known = after.byOid().getOrDefault(seen.relation, before.byOid().get(seen.relation));
            if (seen.name == null && known == null) {
                // There neither before nor after, nor visible to the sampler: a toast table, or the new file a
                // rewrite builds and swaps in. No other session can have waited for it.
                continue;
            }
            String name = seen.name != null ? seen.name : known.name();
            String kind = seen.kind != null ? seen.kind : known.kind();
            if (HISTORY_TABLES.contains(name.substring(name.indexOf('.') + 1))) {
                continue;
            }
            locks.add(new HeldLock(seen.relation, name, kind, seen.mode, seen.statement, Set.copyOf(seen.by),
                    !before.byOid().containsKey(seen.relation)));
        }
        locks.sort(Comparator.comparing(HeldLock::mode).reversed().thenComparing(HeldLock::name));
        List<Rewritten> rewritten = after.rewrittenSince(before).stream()
                .map(r -> new Rewritten(r.name(), r.kind())).toList();
        return new Observation(List.copyOf(locks), rewritten, samples, sampleIntervalMillis);
    }

    private static final class Seen {
        final long relation;
        String name;
        String kind;
        LockMode mode;
        String statement;
        final Set<String> by = new LinkedHashSet<>();

        Seen(long relation) {
            this.relation = relation;
        }
    }

    private static void see(Map<Long, Seen> strongest, long relation, String name, String kind, LockMode mode,
                            String statement, String by) {
        if (mode == null) {
            return;
        }
        Seen seen = strongest.computeIfAbsent(relation, Seen::new);
        if (seen.name == null) {
            seen.name = name;
            seen.kind = kind;
        }
        if (seen.mode == null || mode.compareTo(seen.mode) > 0) {
            seen.mode = mode;
            seen.statement = oneLine(statement);
            seen.by.clear();
            seen.by.add(by);
        } else if (mode == seen.mode) {
            seen.by.add(by);
            if (seen.statement == null) {
                seen.statement = oneLine(statement);
            }
        }
    }

    private static String oneLine(String sql) {
        if (sql == null) {
            return null;
        }
        String one = sql.strip().replaceAll("\\s+", " ");
        return one.length() <= 160 ? one : one.substring(0, 157) + "...";
    }
}
