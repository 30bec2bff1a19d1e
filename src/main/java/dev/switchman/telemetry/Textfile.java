package dev.switchman.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the text format for node_exporter's textfile collector: to {@code <file>.tmp} first, then renamed over
 * {@code file}, so a scrape never reads half a file (the collector reads only {@code *.prom}).
 */
final class Textfile {
    private final Path file;

    Textfile(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    void write(String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
