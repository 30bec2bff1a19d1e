package dev.switchman.rehearse;

import java.util.Set;

/**
 * The strongest lock a phase was seen to hold on one relation: which relation (its oid, its name and kind), the
 * mode, the statement that was running (or had just run) when it was first seen in that mode, and how it was seen:
 * {@link #SAMPLED} from a second session, {@link #AT_STATEMENT_END} by the migrating session itself at the end of
 * a DDL statement. {@code created}: the relation did not exist before the phase (no query of the live version
 * can be waiting for it).
 */
public record HeldLock(long relation, String name, String kind, LockMode mode, String statement, Set<String> seenBy,
                       boolean created) {
    public static final String SAMPLED = "sampled";
    public static final String AT_STATEMENT_END = "at statement end";
}
