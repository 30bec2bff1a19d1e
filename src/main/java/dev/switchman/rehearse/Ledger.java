package dev.switchman.rehearse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Liquibase's record of the changesets that ran ({@code databasechangelog}) on the throwaway database, each as
 * {@code id (author)} in the order they ran: read before and after a step, it tells which changesets the step ran,
 * undid or stopped at. {@code present} is false for a tool that keeps no such table (the step's output then says
 * where it stopped). Blocking.
 */
record Ledger(boolean present, List<String> changes) {

    static Ledger read(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            try (ResultSet exists = st.executeQuery("select to_regclass('databasechangelog') is not null")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    return new Ledger(false, List.of());
                }
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("select id, author from databasechangelog"
                    + " where filename <> 'liquibase-internal' order by orderexecuted, dateexecuted")) {
                while (rs.next()) {
                    out.add(name(rs.getString(1), rs.getString(2)));
                }
            }
            return new Ledger(true, List.copyOf(out));
        }
    }

    /** A change as the lint and this report name it. */
    static String name(String id, String author) {
        return author == null ? id : id + " (" + author + ")";
    }

    /** The changes recorded here and not in {@code before}, in the order they ran. */
    List<String> since(Ledger before) {
        List<String> out = new ArrayList<>(changes);
        out.removeAll(before.changes);
        return out;
    }

    boolean has(String change) {
        return changes.contains(change);
    }
}
