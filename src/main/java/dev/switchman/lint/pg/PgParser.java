package dev.switchman.lint.pg;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * PostgreSQL's own parser, for linting migrations: libpg_query (PostgreSQL 17's grammar, lifted out of the server)
 * compiled to WebAssembly, run by Chicory, a WebAssembly runtime in pure Java, from bytecode the build compiles it to.
 * Java SQL parsers (JSqlParser, jOOQ, Calcite) reject DDL that migrations depend on, such as
 * {@code CREATE INDEX CONCURRENTLY}, {@code NOT VALID} and {@code USING INDEX}; this one parses what PostgreSQL
 * parses, gives the tree PostgreSQL builds, and needs no native library or server.
 *
 * <p>Cost, measured on 2 shared, busy cores (runs differ by up to 2x): loading the module takes 1 to 3 s, once per
 * JVM, on the first parse; then a migration statement takes about 1.2 ms (median) and a text of 1,000 statements 1
 * to 2.5 s. Chicory's interpreter alone is 1.5 to 2 times slower; even compiled, most of the time goes to the
 * grammar's parser function, which is too large for a JVM method and so is interpreted either way. The module's
 * heap is 128 MiB from the start.
 *
 * <p>Blocking: call it off the event loop. Thread-safe: one instance of the module serves every caller on its own
 * thread, which also has the deep stack that deeply nested expressions need.
 */
public final class PgParser {
    // Vert.x's own decoder stops at 1,000 levels, which about 500 nested operators reach. The parser's stack
    // already bounds the depth, and this decoder does not recurse.
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
            .build()).build();

    private PgParser() {}

    /** Parses one SQL text of any number of statements. Throws IllegalStateException if the parser itself fails. */
    public static PgParseResult parse(String sql) {
        Objects.requireNonNull(sql, "sql");
        SqlText text = new SqlText(sql);
        int nul = sql.indexOf('\0');
        if (nul >= 0) {
            return failed(text, "SQL text contains a NUL character", nul);
        }
        PgQueryModule.Output output = Worker.parse(text.utf8());
        if (output.error() != null) {
            int cursor = output.cursorPosition();
            return failed(text, output.error(), cursor > 0 ? text.indexOfCodePoint(cursor - 1) : -1);
        }
        JsonObject tree = decode(output.parseTree());
        return new PgParseResult.Parsed(tree, statements(text, tree.getJsonArray("stmts", new JsonArray())));
    }

    /** Prints the parse tree of the SQL on standard input, or the error; exits 1 if it does not parse. */
    public static void main(String[] args) throws IOException {
        String sql = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        switch (parse(sql)) {
            case PgParseResult.Parsed parsed -> System.out.println(parsed.tree().encodePrettily());
            case PgParseResult.Failed failed -> {
                String where = failed.position() < 0 ? "" : failed.line() + ":" + failed.column() + ": ";
                System.err.println(where + failed.message());
                System.exit(1);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static JsonObject decode(String json) {
        try {
            return new JsonObject(JSON.readValue(json, Map.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("libpg_query printed a parse tree that is not JSON", e);
        }
    }

    private static List<PgStatement> statements(SqlText text, JsonArray raw) {
        List<PgStatement> statements = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            JsonObject entry = raw.getJsonObject(i);
            JsonObject stmt = entry.getJsonObject("stmt");
            String kind = stmt.fieldNames().iterator().next();
            // Byte offsets; the JSON leaves out zeros, and a length of 0 means "to the end of the text".
            int locationByte = entry.getInteger("stmt_location", 0);
            int lengthByte = entry.getInteger("stmt_len", 0);
            int location = text.indexOfByte(locationByte);
            int end = lengthByte == 0 ? text.sql().length() : text.indexOfByte(locationByte + lengthByte);
            int start = text.firstToken(location, end);
            statements.add(new PgStatement(kind, stmt.getJsonObject(kind), location, end - location, start,
                    text.line(start)));
        }
        return List.copyOf(statements);
    }

    private static PgParseResult failed(SqlText text, String message, int position) {
        if (position < 0) {
            return new PgParseResult.Failed(message, -1, 0, 0);
        }
        return new PgParseResult.Failed(message, position, text.line(position), text.column(position));
    }

    /** The one thread that owns the module: loads it on first use, and again after a failure left it broken. */
    private static final class Worker {
        // The JVM's default 1 MiB stack overflows on a 1,000-term expression (1+1+...); 16 MiB holds 30,000.
        private static final long STACK_BYTES = 16L << 20;
        private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(null, task, "pg-parser", STACK_BYTES);
            thread.setDaemon(true);
            return thread;
        });
        private static PgQueryModule module; // touched on THREAD only

        static PgQueryModule.Output parse(byte[] utf8) {
            Future<PgQueryModule.Output> result = THREAD.submit(() -> parseHere(utf8));
            try {
                return result.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while parsing SQL", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the PostgreSQL parser failed: " + e.getCause(), e.getCause());
            }
        }

        private static PgQueryModule.Output parseHere(byte[] utf8) {
            if (module == null) {
                module = PgQueryModule.load();
            }
            try {
                return module.parse(utf8);
            } catch (RuntimeException | StackOverflowError e) {
                // A trap or an exhausted stack stops the module mid-way: its heap can no longer be trusted.
                module = null;
                throw e;
            }
        }
    }
}
