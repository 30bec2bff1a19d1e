package dev.switchman.util;

import java.util.List;

/**
 * One finished run of a tool's command (a migration tool, a backup, a check): how it ended and what it printed,
 * passwords already masked. {@code stdout} is kept whole (a revision, a plan's SQL); {@code stderr} too, for the
 * reason of a failure; past 1 MiB ({@link ToolRunner#KEPT_BYTES}), only the end of each. {@code exitCode} is -1 when the run was stopped at its timeout.
 */
public record ToolRun(List<String> command, int exitCode, String stdout, String stderr, long millis) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** PostgreSQL's words for a lock_timeout that ran out (SQLSTATE 55P03), as libpq tools print them. */
    public boolean lockTimedOut() {
        String all = stdout + "\n" + stderr;
        return all.contains("lock timeout") || all.contains("55P03") || all.contains("LockNotAvailable");
    }

    /** The last {@code lines} non-blank lines of stderr (or of stdout when stderr is empty), for a reason. */
    public String tail(int lines) {
        String text = stderr.isBlank() ? stdout : stderr;
        List<String> kept = text.lines().filter(l -> !l.isBlank()).toList();
        return String.join("\n", kept.subList(Math.max(0, kept.size() - lines), kept.size()));
    }

    /** The last non-blank line of stdout, or null: what a {@code current} command names the schema with. */
    public String lastLine() {
        List<String> kept = stdout.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return kept.isEmpty() ? null : kept.getLast();
    }

    public boolean timedOut() {
        return exitCode == -1;
    }

    public String shown() {
        return String.join(" ", command);
    }
}
