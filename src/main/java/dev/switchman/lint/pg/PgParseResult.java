package dev.switchman.lint.pg;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** What {@link PgParser#parse} makes of a SQL text: its parse tree, or PostgreSQL's syntax error. */
public sealed interface PgParseResult {

    /**
     * The text parsed.
     *
     * @param tree       the whole tree as libpg_query prints it: {@code {"version": 170004, "stmts": [...]}}
     * @param statements its statements in order; none for a text of only comments
     */
    record Parsed(JsonObject tree, List<PgStatement> statements) implements PgParseResult {}

    /**
     * The text did not parse.
     *
     * @param message  PostgreSQL's message, e.g. {@code syntax error at or near "FRM"}
     * @param position the 0-based index into the Java string the error points at, or -1 if it points nowhere
     * @param line     1-based line of that position, or 0
     * @param column   1-based column (string chars) of that position, or 0
     */
    record Failed(String message, int position, int line, int column) implements PgParseResult {}
}
