package dev.switchman.migration.liquibase;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each changeset is written in its file: the line that declares it, and its text up to the next one, so the
 * lint can name the line and read a {@code switchman:accept} note or a {@code switchman:pause} mark (an XML comment, a SQL comment) written there.
 * Built once per file: a changelog of a thousand changesets is read once, not once per changeset.
 */
final class ChangeSetSources {
    private static final Pattern FORMATTED = Pattern.compile("^\\s*--\\s*changeset\\s+([^:\\s]+):(\\S+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ANY_ID = Pattern.compile("(?:^|[\\s\"'{,])id[\"']?\\s*[:=]\\s*[\"']?([^\"'\\s,}>]+)");

    record Located(int line, String text) {}

    private final String[] lines;
    /** "author:id" of formatted SQL, then a bare id of any other form, to its 0-based declaring line. */
    private final Map<String, Integer> declared = new HashMap<>();
    private final List<Integer> starts = new ArrayList<>();

    ChangeSetSources(String source) {
        this.lines = source == null ? new String[0] : source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher formatted = FORMATTED.matcher(lines[i]);
            if (formatted.find()) {
                declared.putIfAbsent(formatted.group(1) + ":" + formatted.group(2), i);
            } else {
                Matcher id = ANY_ID.matcher(lines[i]);
                if (id.find()) {
                    declared.putIfAbsent(id.group(1), i);
                }
            }
            if (declaresChangeSet(lines[i])) {
                starts.add(i);
            }
        }
    }

    /** The declaring line of changeset {@code id} by {@code author} (1-based, 0 when not found), and its text. */
    Located find(String id, String author) {
        Integer start = declared.get(author + ":" + id);
        if (start == null) {
            start = declared.get(id);
        }
        if (start == null) {
            return new Located(0, null);
        }
        // A note may sit just above the changeset, as a comment.
        int from = start;
        while (from > 0 && isNote(lines[from - 1])) {
            from--;
        }
        int end = lines.length;
        for (int next : starts) {
            if (next > start) {
                end = next;
                while (end > start + 1 && isNote(lines[end - 1])) {
                    end--; // the next changeset's note
                }
                break;
            }
        }
        return new Located(start + 1, String.join("\n", List.of(lines).subList(from, end)));
    }

    private static boolean declaresChangeSet(String line) {
        String l = line.strip().toLowerCase();
        return l.startsWith("--changeset") || l.startsWith("-- changeset") || l.startsWith("<changeset")
                || l.startsWith("- changeset:") || l.startsWith("\"changeset\"") || l.startsWith("{\"changeset\"")
                || l.startsWith("changeset:");
    }

    /** A note for the change below it: an accepted lint finding, or a pause mark. */
    private static boolean isNote(String line) {
        return line.contains("switchman:accept") || line.contains("switchman:pause");
    }
}
