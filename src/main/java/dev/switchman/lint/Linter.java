package dev.switchman.lint;

import dev.switchman.config.LintConfig;
import dev.switchman.lint.StatementChecks.Hit;
import dev.switchman.lint.pg.PgParseResult;
import dev.switchman.lint.pg.PgParser;
import dev.switchman.lint.pg.PgStatement;
import dev.switchman.migration.PlannedChange;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges a release's changes, in the order they run, on PostgreSQL's own grammar: each statement of each change
 * against the rules for its phase. Blocking (the parser runs here): call it off the event loop.
 */
public final class Linter {
    /** Alembic's offline SQL names the revision each statement belongs to in a comment before it. */
    private static final Pattern REVISION = Pattern.compile("(?m)^--\\s*Running (?:upgrade|downgrade)\\s+\\S*\\s*->\\s*([\\w.-]+)");

    /** A finding accepted in the config ({@code lint.accept}) for a change: its id, the rule, why it is safe. */
    public record Accept(String change, String rule, String reason) {}

    private final List<Accept> accepted;

    public Linter(List<Accept> accepted) {
        this.accepted = List.copyOf(accepted);
    }

    /** With the findings the config's {@code lint.accept} accepts. */
    public static Linter of(LintConfig config) {
        return new Linter(config.accept().stream().map(a -> new Accept(a.change(), a.rule(), a.reason())).toList());
    }

    public LintReport lint(List<PlannedChange> changes) {
        List<Finding> findings = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Scope scope = new Scope();
        for (PlannedChange change : changes) {
            scope.phase = change.phase();
            scope.inTransaction = change.inTransaction();
            scope.newTables.clear();
            List<Acceptances.Accepted> notes = new ArrayList<>(Acceptances.in(change.source()));
            for (Accept a : accepted) {
                if (a.change().equals(change.id())) {
                    notes.add(new Acceptances.Accepted(a.rule(), a.reason() == null ? "" : a.reason()));
                }
            }
            for (Acceptances.Accepted note : notes) {
                String problem = Acceptances.problem(note);
                if (problem != null) {
                    problems.add(change.file() + ":" + change.line() + ": change " + change.id() + ": " + problem);
                }
            }
            for (Finding finding : judge(change, scope)) {
                findings.add(notes.stream().filter(n -> n.rule().equals(finding.rule().id()) && Acceptances.problem(n) == null)
                        .findFirst().map(n -> finding.accept(n.reason())).orElse(finding));
            }
        }
        return new LintReport(findings, problems);
    }

    private static List<Finding> judge(PlannedChange change, Scope scope) {
        List<Finding> out = new ArrayList<>();
        switch (PgParser.parse(change.sql())) {
            case PgParseResult.Failed failed -> out.add(new Finding(Rule.UNPARSABLE, change.file(),
                    change.sqlInSource() ? change.line() + Math.max(1, failed.line()) : change.line(), change.id(),
                    change.author(), change.phase(), failed.message(), null));
            case PgParseResult.Parsed parsed -> {
                for (PgStatement statement : parsed.statements()) {
                    for (Hit hit : StatementChecks.check(statement, scope)) {
                        String id = revision(change, statement);
                        out.add(new Finding(hit.rule(), change.file(),
                                change.sqlInSource() ? change.line() + statement.line() : change.line(), id,
                                id.equals(change.id()) ? change.author() : null, change.phase(),
                                hit.detail() + ": " + excerpt(statement.text(change.sql())), null));
                    }
                }
            }
        }
        return out;
    }

    /** The revision a statement of a tool's SQL belongs to, when the tool says; else the change's id. */
    private static String revision(PlannedChange change, PgStatement statement) {
        Matcher m = REVISION.matcher(change.sql());
        String revision = change.id();
        while (m.find() && m.start() < statement.start()) {
            revision = m.group(1);
        }
        return revision;
    }

    private static String excerpt(String sql) {
        String one = sql.strip().replaceAll("\\s+", " ");
        return one.length() <= 120 ? one : one.substring(0, 117) + "...";
    }
}
