package dev.switchman.lint.pg;

import io.vertx.core.json.JsonObject;

/**
 * One statement of a parsed SQL text.
 *
 * @param kind     the parse node's name: {@code IndexStmt}, {@code AlterTableStmt}, {@code DropStmt}...
 * @param node     that node's fields as libpg_query prints them, e.g. {@code concurrent: true}
 * @param location PostgreSQL's {@code stmt_location} as an index into the Java string: where the previous statement
 *                 ended (after its semicolon), so it takes in the blank lines and comments before this one
 * @param length   PostgreSQL's {@code stmt_len} in string chars: up to, not including, this statement's semicolon
 * @param start    the index of the statement's first token
 * @param line     the 1-based line of that token
 */
public record PgStatement(String kind, JsonObject node, int location, int length, int start, int line) {

    /** The statement's own text, from its first token to its end, without the semicolon. */
    public String text(String sql) {
        return sql.substring(start, location + length);
    }
}
