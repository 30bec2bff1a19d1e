package dev.switchman.migration.liquibase;

import dev.switchman.db.DatabaseInfo;
import dev.switchman.migration.Migrator.MigrationResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.RuntimeEnvironment;
import liquibase.changelog.ChangeLogHistoryService;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeLogIterator;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.ChangeSet.ExecType;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;
import liquibase.changelog.filter.ChangeSetFilter;
import liquibase.changelog.filter.ChangeSetFilterResult;
import liquibase.changelog.filter.DbmsChangeSetFilter;
import liquibase.changelog.visitor.ChangeSetVisitor;
import liquibase.changelog.visitor.UpdateVisitor;
import liquibase.database.Database;
import liquibase.exception.LiquibaseException;

/**
 * Brings a (throwaway) database to the changesets another database has applied: reads the source's
 * {@code databasechangelog} in a read-only session, then walks the changelog in its order, as Liquibase's update
 * does, and runs exactly the changesets the source lists (one the source marked ran is only marked ran), or, when
 * the schema came from a dump, only records them as applied. Changesets the target has recorded already (a dump
 * that brought its history rows) are left alone. Blocking.
 */
final class HistoryReplay {
    /** The row a tag on an empty history inserts: no changeset of any changelog. */
    private static final String TAG_ROW_FILE = "liquibase-internal";

    private HistoryReplay() {}

    /** What {@code source} has applied, in the order it applied it; empty when it has no history table. */
    static List<RanChangeSet> applied(DatabaseInfo source) throws SQLException {
        List<RanChangeSet> out = new ArrayList<>();
        try (Connection c = source.open(); Statement st = c.createStatement()) {
            st.execute("set session characteristics as transaction read only");
            try (ResultSet exists = st.executeQuery("select to_regclass('databasechangelog') is not null")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    return out;
                }
            }
            try (ResultSet rs = st.executeQuery("select filename, id, author, exectype from databasechangelog"
                    + " order by orderexecuted, dateexecuted")) {
                while (rs.next()) {
                    if (TAG_ROW_FILE.equals(rs.getString(1))) {
                        continue;
                    }
                    RanChangeSet ran = new RanChangeSet();
                    ran.setChangeLog(rs.getString(1));
                    ran.setStoredChangeLog(rs.getString(1));
                    ran.setId(rs.getString(2));
                    ran.setAuthor(rs.getString(3));
                    ran.setExecType(execType(rs.getString(4)));
                    out.add(ran);
                }
            }
        }
        return out;
    }

    private static ExecType execType(String value) {
        try {
            return value == null ? ExecType.EXECUTED : ExecType.valueOf(value);
        } catch (IllegalArgumentException e) {
            return ExecType.EXECUTED;
        }
    }

    /** Runs (or, {@code schemaLoaded}, records) the changesets of {@code applied} on the database Liquibase is open on. */
    static MigrationResult replay(Liquibase liquibase, String source, List<RanChangeSet> applied, boolean schemaLoaded)
            throws LiquibaseException {
        Database database = liquibase.getDatabase();
        DatabaseChangeLog changeLog = liquibase.getDatabaseChangeLog();
        ChangeLogHistoryService history = ChangeLogHistoryServiceFactory.getInstance().getChangeLogService(database);
        history.init();
        history.generateDeploymentId();
        List<RanChangeSet> here = history.getRanChangeSets();
        Set<RanChangeSet> matched = new HashSet<>();
        List<String> done = new ArrayList<>();
        UpdateVisitor update = new UpdateVisitor(database, null);
        ChangeSetVisitor visitor = new ChangeSetVisitor() {
            @Override
            public Direction getDirection() {
                return Direction.FORWARD;
            }

            @Override
            public void visit(ChangeSet changeSet, DatabaseChangeLog log, Database db, Set<ChangeSetFilterResult> results)
                    throws LiquibaseException {
                ExecType there = find(applied, changeSet).getExecType();
                if (schemaLoaded || there == ExecType.MARK_RAN) {
                    db.markChangeSetExecStatus(changeSet, there == ExecType.MARK_RAN ? ExecType.MARK_RAN : ExecType.EXECUTED);
                    db.commit();
                } else {
                    update.visit(changeSet, log, db, results);
                }
                done.add(changeSet.getId() + " (" + changeSet.getAuthor() + ")");
            }
        };
        ChangeLogIterator iterator = new ChangeLogIterator(changeLog, new AppliedThere(source, applied, here, matched),
                new DbmsChangeSetFilter(database));
        iterator.run(visitor, new RuntimeEnvironment(database, new Contexts(), new LabelExpression()));

        List<String> unknown = applied.stream().filter(r -> !matched.contains(r))
                .map(r -> r.getChangeLog() + "::" + r.getId() + "::" + r.getAuthor()).toList();
        int already = applied.size() - unknown.size() - done.size();
        String detail = (applied.isEmpty() ? source + " has applied no changeset yet"
                : (schemaLoaded ? "recorded as applied (their schema came from the dump) " : "ran ") + done.size() + " of the "
                        + applied.size() + " changeset(s) " + source + " has applied" + (done.isEmpty() ? "" : ": "
                        + String.join(", ", done)) + (already > 0 ? "; " + already + " were recorded here already" : ""))
                + (unknown.isEmpty() ? "" : "; " + unknown.size() + " applied there are not in this changelog, so not"
                        + " rehearsed: " + String.join(", ", unknown));
        return new MigrationResult(done.size(), detail);
    }

    /** Accepts the changesets the source applied and the target has not recorded; notes each one it found. */
    private record AppliedThere(String source, List<RanChangeSet> applied, List<RanChangeSet> here, Set<RanChangeSet> matched)
            implements ChangeSetFilter {
        @Override
        public ChangeSetFilterResult accepts(ChangeSet changeSet) {
            RanChangeSet there = find(applied, changeSet);
            if (there != null) {
                matched.add(there);
            }
            boolean accepted = there != null && find(here, changeSet) == null;
            return new ChangeSetFilterResult(accepted, accepted ? "applied in " + source
                    : "not applied in " + source + ", or recorded here already", AppliedThere.class);
        }
    }

    private static RanChangeSet find(List<RanChangeSet> ran, ChangeSet changeSet) {
        for (RanChangeSet r : ran) {
            if (r.isSameAs(changeSet)) {
                return r;
            }
        }
        return null;
    }
}
