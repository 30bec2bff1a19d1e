package dev.switchman.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Findings a person accepted for one change, with a written reason: {@code switchman:accept <rule> <reason>} in
 * the change's text (a SQL comment, an XML comment or a changeset comment), or in the config's
 * {@code lint.accept}. A note without a reason, or naming no known rule, accepts nothing and is itself reported.
 */
final class Acceptances {
    private static final Pattern NOTE = Pattern.compile("switchman:accept\\s+([a-z0-9-]+)[ \\t]*([^\\r\\n]*?)\\s*(?:-->|\\*/)?\\s*$",
            Pattern.MULTILINE);

    record Accepted(String rule, String reason) {}

    private Acceptances() {}

    /** The notes in a change's source text. */
    static List<Accepted> in(String source) {
        List<Accepted> out = new ArrayList<>();
        if (source == null) {
            return out;
        }
        Matcher m = NOTE.matcher(source);
        while (m.find()) {
            out.add(new Accepted(m.group(1), m.group(2).strip()));
        }
        return out;
    }

    /** What is wrong with a note, or null when it accepts something. */
    static String problem(Accepted note) {
        if (Rule.byId(note.rule()) == null) {
            return "switchman:accept names no rule '" + note.rule() + "'";
        }
        if (note.reason().isEmpty()) {
            return "switchman:accept " + note.rule() + " gives no reason: write why it is safe here";
        }
        return null;
    }
}
