package dev.switchman.lint;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The lint's verdict: every finding (accepted ones with their reason) and the notes that accept nothing. It
 * passes when every finding is accepted and every note is sound.
 */
public record LintReport(List<Finding> findings, List<String> problems) {

    public List<Finding> unaccepted() {
        return findings.stream().filter(f -> !f.isAccepted()).toList();
    }

    public boolean passes() {
        return unaccepted().isEmpty() && problems.isEmpty();
    }

    /** For a terminal or a CI log: one block per finding, the rule's why and its safe way. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (Finding f : findings) {
            out.append(f.file()).append(':').append(f.line()).append(": ").append(f.isAccepted() ? "accepted " : "")
                    .append('[').append(f.rule().id()).append("] ").append(changeName(f)).append(", ")
                    .append(f.phase() == null ? "" : f.phase().name().toLowerCase()).append(": ").append(f.detail()).append('\n');
            if (f.isAccepted()) {
                out.append("    accepted because: ").append(f.accepted()).append('\n');
            } else {
                out.append("    why: ").append(f.rule().why()).append('\n');
                out.append("    safe way: ").append(f.rule().safe()).append('\n');
            }
        }
        problems.forEach(p -> out.append(p).append('\n'));
        long accepted = findings.size() - unaccepted().size();
        out.append(unaccepted().size()).append(" finding(s), ").append(accepted).append(" accepted")
                .append(problems.isEmpty() ? "" : ", " + problems.size() + " note(s) that accept nothing").append('\n');
        return out.toString();
    }

    /** GitHub Actions workflow commands: an annotation on each unaccepted finding's line. */
    public String github() {
        StringBuilder out = new StringBuilder();
        for (Finding f : unaccepted()) {
            out.append("::error file=").append(property(f.file())).append(",line=").append(f.line())
                    .append(",title=").append(property("switchman lint: " + f.rule().id())).append("::")
                    .append(data(changeName(f) + ": " + f.detail() + ". Why: " + f.rule().why() + ". Safe way: "
                            + f.rule().safe())).append('\n');
        }
        problems.forEach(p -> out.append("::error title=switchman lint::").append(data(p)).append('\n'));
        return out.toString();
    }

    public JsonObject json() {
        JsonArray all = new JsonArray();
        for (Finding f : findings) {
            all.add(json(f));
        }
        return new JsonObject().put("findings", all).put("unaccepted", unaccepted().size())
                .put("problems", new JsonArray(problems));
    }

    /** One finding as {@link #json()} lists it. */
    public static JsonObject json(Finding f) {
        return new JsonObject().put("rule", f.rule().id()).put("file", f.file()).put("line", f.line())
                .put("change", f.change()).put("author", f.author())
                .put("phase", f.phase() == null ? null : f.phase().name().toLowerCase())
                .put("detail", f.detail()).put("why", f.rule().why()).put("safeWay", f.rule().safe())
                .put("accepted", f.accepted());
    }

    /** One finding on a line: where, the rule, the change and what the lint saw. */
    public static String line(Finding f) {
        return f.file() + ":" + f.line() + ": " + (f.isAccepted() ? "accepted " : "") + "[" + f.rule().id() + "] "
                + changeName(f) + ": " + f.detail();
    }

    private static String changeName(Finding f) {
        return "change " + f.change() + (f.author() == null ? "" : " (" + f.author() + ")");
    }

    // GitHub's escaping of workflow command values.
    private static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}
