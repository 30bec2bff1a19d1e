package dev.switchman.migration.liquibase;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each changeset is written in its file: the line that declares it, and its text up to the next one, so the
 * lint can name the line and read a {@code switchman:accept} note (an XML comment, a SQL comment) written there.
 */
final class ChangeSetSources {
    private ChangeSetSources() {}

    record Located(int line, String text) {}

    /** The declaring line of changeset {@code id} by {@code author} in {@code source} (1-based), and its text. */
    static Located find(String source, String id, String author) {
        if (source == null) {
            return new Located(0, null);
        }
        String[] lines = source.split("\n", -1);
        int start = -1;
        Pattern formatted = Pattern.compile("^\\s*--\\s*changeset\\s+" + Pattern.quote(author) + ":" + Pattern.quote(id) + "(\\s|$)",
                Pattern.CASE_INSENSITIVE);
        Pattern anyId = Pattern.compile("(^|[\\s\"'{,])(id\\s*[:=]\\s*[\"']?)" + Pattern.quote(id) + "([\"'\\s,}]|$)");
        for (int i = 0; i < lines.length && start < 0; i++) {
            if (formatted.matcher(lines[i]).find()) {
                start = i;
            }
        }
        for (int i = 0; i < lines.length && start < 0; i++) {
            Matcher m = anyId.matcher(lines[i]);
            if (m.find()) {
                start = i;
            }
        }
        if (start < 0) {
            return new Located(0, null);
        }
        // An XML changeset's note may sit just above it, as a comment.
        int from = start;
        while (from > 0 && lines[from - 1].contains("switchman:accept")) {
            from--;
        }
        int end = lines.length;
        for (int i = start + 1; i < lines.length; i++) {
            if (declaresChangeSet(lines[i])) {
                end = i;
                while (end > start + 1 && lines[end - 1].contains("switchman:accept")) {
                    end--; // the next changeset's note
                }
                break;
            }
        }
        List<String> text = new ArrayList<>(List.of(lines).subList(from, end));
        return new Located(start + 1, String.join("\n", text));
    }

    private static boolean declaresChangeSet(String line) {
        String l = line.strip().toLowerCase();
        return l.startsWith("--changeset") || l.startsWith("-- changeset") || l.startsWith("<changeset")
                || l.startsWith("- changeset:") || l.startsWith("\"changeset\"") || l.startsWith("{\"changeset\"")
                || l.startsWith("changeset:");
    }
}
