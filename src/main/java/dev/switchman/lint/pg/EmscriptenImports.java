package dev.switchman.lint.pg;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionImport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host functions libpg-query.wasm imports, all from module "a" under names emscripten minified (the mapping is
 * the {@code wasmImports} object of the package's wasm/libpg-query.js). Most are what an emscripten program needs
 * without a browser: no files, no exit, a heap that may grow.
 *
 * <p>The {@code invoke_*} ones carry PostgreSQL's error handling. Emscripten builds setjmp/longjmp (PG_TRY, ereport)
 * out of the host: a function that calls setjmp calls everything else through {@code invoke_*}, and longjmp throws.
 * So {@code invoke_*} calls the table function and, if a longjmp comes out of it, puts the wasm stack pointer back
 * and raises the module's "threw" flag, which the caller then checks, as emscripten's JavaScript does.
 */
final class EmscriptenImports {
    private static final Logger LOG = LoggerFactory.getLogger(EmscriptenImports.class);
    private static final String MODULE = "a";
    // Exports that invoke_* needs (assignWasmExports in wasm/libpg-query.js).
    private static final String SET_THREW = "N";
    private static final String STACK_RESTORE = "O";
    private static final String STACK_GET_CURRENT = "P";
    private static final long[] ZERO = {0};
    private static final long[] TRUE = {1};
    private static final long ESPIPE = 70;

    /** Thrown by the module's longjmp, caught by the invoke_* that stands for the matching setjmp. */
    private static final class LongJump extends RuntimeException {
        LongJump() {
            super("longjmp", null, false, false);
        }
    }

    private static final LongJump LONG_JUMP = new LongJump();

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private ExportFunction stackSave;
    private ExportFunction stackRestore;
    private ExportFunction setThrew;

    /** One host function for each of the module's imports, typed as the module declares it. */
    ImportValues values(WasmModule module) {
        List<ImportFunction> functions = new ArrayList<>();
        var imports = module.importSection();
        for (int i = 0; i < imports.importCount(); i++) {
            if (!(imports.getImport(i) instanceof FunctionImport f) || !MODULE.equals(f.module())) {
                throw new IllegalStateException("libpg-query.wasm imports " + imports.getImport(i).module() + "."
                        + imports.getImport(i).name() + ", which this host does not provide");
            }
            var type = module.typeSection().getType(f.typeIndex());
            boolean returnsValue = !type.returns().isEmpty();
            functions.add(new HostFunction(MODULE, f.name(), type, handle(f.name(), returnsValue)));
        }
        return ImportValues.builder().withFunctions(functions).build();
    }

    /** Called once the instance exists, before any of its code runs. */
    void bind(Instance instance) {
        stackSave = instance.export(STACK_GET_CURRENT);
        stackRestore = instance.export(STACK_RESTORE);
        setThrew = instance.export(SET_THREW);
    }

    private WasmFunctionHandle handle(String name, boolean returnsValue) {
        return switch (name) {
            // invoke_i, _ii, _iii, _iiii, _iiiii, _iiiiii, _ji, _v, _vi, _vii, _viii, _viiii
            case "g", "b", "a", "d", "h", "l", "n", "f", "e", "i", "k", "j" ->
                    (inst, args) -> invoke(inst, args, returnsValue);
            case "p" -> (inst, args) -> { // _emscripten_throw_longjmp
                throw LONG_JUMP;
            };
            case "q" -> (inst, args) -> resizeHeap(inst.memory(), Integer.toUnsignedLong((int) args[0]));
            case "m" -> (inst, args) -> write(inst.memory(), (int) args[1], (int) args[2], (int) args[3]);
            case "r" -> (inst, args) -> { // fd_read: there is no input; report end of file
                inst.memory().writeI32((int) args[3], 0);
                return ZERO;
            };
            case "s" -> (inst, args) -> new long[] {ESPIPE}; // fd_seek
            case "t" -> (inst, args) -> ZERO; // fd_close
            case "c" -> (inst, args) -> { // __assert_fail(condition, file, line, function)
                Memory m = inst.memory();
                throw new IllegalStateException("libpg_query assertion failed: " + m.readCString((int) args[0])
                        + " at " + m.readCString((int) args[1]) + ":" + args[2]);
            };
            case "o" -> (inst, args) -> {
                throw new IllegalStateException("libpg_query called exit(" + args[0] + ")");
            };
            case "u" -> (inst, args) -> {
                throw new IllegalStateException("libpg_query aborted");
            };
            default -> throw new IllegalStateException("libpg-query.wasm imports a." + name
                    + ", which this host does not provide");
        };
    }

    private long[] invoke(Instance instance, long[] args, boolean returnsValue) {
        long stackPointer = stackSave.apply()[0];
        int function = instance.table(0).requiredRef((int) args[0]);
        try {
            return instance.getMachine().call(function, Arrays.copyOfRange(args, 1, args.length));
        } catch (LongJump jump) {
            stackRestore.apply(stackPointer);
            setThrew.apply(1, 0);
            return returnsValue ? ZERO : null;
        }
    }

    private static long[] resizeHeap(Memory memory, long requestedBytes) {
        long neededPages = (requestedBytes + Memory.PAGE_SIZE - 1) / Memory.PAGE_SIZE;
        int pages = memory.pages();
        if (neededPages <= pages) {
            return TRUE;
        }
        return neededPages <= Integer.MAX_VALUE && memory.grow((int) neededPages - pages) >= 0 ? TRUE : ZERO;
    }

    /** fd_write: whatever the module prints, to stdout or stderr, goes to the log a line at a time. */
    private long[] write(Memory memory, int iovs, int count, int writtenOut) {
        int written = 0;
        for (int i = 0; i < count; i++) {
            int address = memory.readInt(iovs + 8 * i);
            int length = memory.readInt(iovs + 8 * i + 4);
            output.writeBytes(memory.readBytes(address, length));
            written += length;
        }
        byte[] bytes = output.toByteArray();
        int lineEnd = lastNewline(bytes);
        if (lineEnd >= 0) {
            new String(bytes, 0, lineEnd, StandardCharsets.UTF_8).lines()
                    .forEach(line -> LOG.warn("libpg_query: {}", line));
            output.reset();
            output.write(bytes, lineEnd + 1, bytes.length - lineEnd - 1);
        }
        memory.writeI32(writtenOut, written);
        return ZERO;
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
