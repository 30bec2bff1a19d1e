package dev.switchman.lint.pg;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.WasmModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of libpg-query.wasm, running as the JVM bytecode the build compiled it to ({@link PgQueryWasm}, made
 * by chicory-compiler-maven-plugin). Not thread-safe: {@link PgParser} confines it to one thread.
 *
 * <p>Each parse mallocs the query and frees it and libpg_query's result, so the heap does not grow from call to call
 * (libpg_query gives each parse its own memory context and drops it, after an error too).
 */
final class PgQueryModule {
    private static final Logger LOG = LoggerFactory.getLogger(PgQueryModule.class);
    // Export names as emscripten minified them (assignWasmExports in wasm/libpg-query.js).
    private static final String CALL_CTORS = "w";
    private static final String MALLOC = "y";
    private static final String FREE = "A";
    private static final String PARSE_QUERY_RAW = "B";
    private static final String FREE_PARSE_RESULT = "C";

    /** What pg_query_parse returned: the parse tree as JSON, or an error with its 1-based cursorpos (0: none). */
    record Output(String parseTree, String error, int cursorPosition) {}

    private final Memory memory;
    private final ExportFunction malloc;
    private final ExportFunction free;
    private final ExportFunction parseQueryRaw;
    private final ExportFunction freeParseResult;

    private PgQueryModule(Instance instance) {
        this.memory = instance.memory();
        this.malloc = instance.export(MALLOC);
        this.free = instance.export(FREE);
        this.parseQueryRaw = instance.export(PARSE_QUERY_RAW);
        this.freeParseResult = instance.export(FREE_PARSE_RESULT);
    }

    static PgQueryModule load() {
        WasmModule module = PgQueryWasm.load();
        EmscriptenImports imports = new EmscriptenImports();
        Instance instance = Instance.builder(module)
                .withMachineFactory(PgQueryWasm::create)
                // Chicory's faster memory on OpenJDK; it also grows without copying the heap.
                .withMemoryFactory(ByteArrayMemory::new)
                .withImportValues(imports.values(module))
                .build();
        imports.bind(instance);
        instance.export(CALL_CTORS).apply();
        return new PgQueryModule(instance);
    }

    /** Parses a NUL-free UTF-8 SQL text. A RuntimeException here leaves the instance unusable. */
    Output parse(byte[] utf8) {
        int query = malloc(utf8.length + 1);
        try {
            memory.write(query, utf8);
            memory.writeByte(query + utf8.length, (byte) 0);
            int result = (int) parseQueryRaw.apply(query)[0];
            if (result == 0) {
                throw new IllegalStateException("libpg_query ran out of memory");
            }
            try {
                return read(result);
            } finally {
                freeParseResult.apply(result);
            }
        } finally {
            free.apply(query);
        }
    }

    // struct PgQueryParseResult { char *parse_tree; char *stderr_buffer; PgQueryError *error; }
    // struct PgQueryError { char *message, *funcname, *filename; int lineno; int cursorpos; char *context; }
    private Output read(int result) {
        String stderr = string(memory.readInt(result + 4));
        if (stderr != null && !stderr.isBlank()) {
            LOG.warn("libpg_query: {}", stderr.strip());
        }
        int error = memory.readInt(result + 8);
        if (error != 0) {
            String message = string(memory.readInt(error));
            return new Output(null, message == null ? "unknown parse error" : message, memory.readInt(error + 16));
        }
        return new Output(string(memory.readInt(result)), null, 0);
    }

    private String string(int address) {
        return address == 0 ? null : memory.readCString(address);
    }

    private int malloc(int size) {
        int address = (int) malloc.apply(size)[0];
        if (address == 0) {
            throw new IllegalStateException("libpg_query's heap is full (" + size + " bytes asked)");
        }
        return address;
    }
}
