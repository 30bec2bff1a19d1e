package dev.switchman.platform.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of {@code /proc/<pid>/stat} that the process platform needs (Linux). Zombies count as gone: a slot's
 * leader whose parent died is re-parented to pid 1, which may never reap it.
 */
record ProcStat(long pid, char state, long ppid, long pgrp, long session) {
    private static final Path PROC = Path.of("/proc");

    boolean gone() {
        return state == 'Z' || state == 'X';
    }

    static Optional<ProcStat> read(long pid) {
        try {
            return Optional.of(parse(Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Parses one stat line; the command name may hold spaces and parentheses, so fields start after the last ')'. */
    static ProcStat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        long pid = Long.parseLong(line.substring(0, open).trim());
        String[] rest = line.substring(close + 1).trim().split("\\s+");
        return new ProcStat(pid, rest[0].charAt(0), Long.parseLong(rest[1]), Long.parseLong(rest[2]), Long.parseLong(rest[3]));
    }

    /** Whether a live (not zombie) process of process group {@code pgid} remains. Blocking: reads /proc. */
    static boolean groupAlive(long pgid) {
        if (!Files.isDirectory(PROC)) {
            return ProcessHandle.of(pgid).map(ProcessHandle::isAlive).orElse(false);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, ProcStat::isPidDir)) {
            for (Path entry : entries) {
                Optional<ProcStat> stat = read(Long.parseLong(entry.getFileName().toString()));
                if (stat.isPresent() && stat.get().pgrp() == pgid && !stat.get().gone()) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc", e);
        }
    }

    private static boolean isPidDir(Path entry) {
        String name = entry.getFileName().toString();
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
