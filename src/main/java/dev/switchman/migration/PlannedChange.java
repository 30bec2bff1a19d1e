package dev.switchman.migration;

/**
 * One change as a migrator would apply it, for the lint: where it is written (file, line, id and author: a
 * changeset, a revision), its phase, the SQL it runs, whether that SQL runs inside a transaction, and the source
 * text it was written as (where a {@code switchman:accept} note may be). {@code sqlInSource}: the SQL is the
 * source's own text from the line after {@code line} (formatted SQL), so a statement's line can be told; otherwise
 * (SQL a tool generated) statements are reported at {@code line}.
 */
public record PlannedChange(String file, int line, String id, String author, Migrator.Phase phase, String sql,
                            boolean inTransaction, String source, boolean sqlInSource) {}
