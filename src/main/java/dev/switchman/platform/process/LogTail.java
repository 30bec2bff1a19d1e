package dev.switchman.platform.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a slot's log: a slot that failed to start usually says why there. */
final class LogTail {
    static final int LINES = 20;
    /** Only the end of the file is read: a log appended to by every earlier slot may be large. */
    static final int BYTES = 64 * 1024;

    private LogTail() {}

    /** Blocking: the last {@link #LINES} lines of a log file, read from at most its last {@link #BYTES} bytes. */
    static String of(Path logFile) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            if (from > 0 && lines.size() > 1) {
                lines = lines.subList(1, lines.size()); // the first one is cut
            }
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }
}
