package dev.switchman.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files that other processes read while they may be replaced (the router's weights, a slot's start note, the
 * jar long-lived processes run from): written beside their place, flushed, then moved there in one step, so a
 * reader or a crash sees the old file or the new one, never half of one. Blocking.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = temp(file);
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            moveInto(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void copy(Path from, Path file) throws IOException {
        Path tmp = temp(file);
        try {
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            moveInto(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path temp(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
    }

    private static void moveInto(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
