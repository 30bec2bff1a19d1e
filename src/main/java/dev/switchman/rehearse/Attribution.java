package dev.switchman.rehearse;

import dev.switchman.lint.Finding;
import dev.switchman.lint.LintReport;
import dev.switchman.migration.Migrator.Phase;
import dev.switchman.migration.PlannedChange;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which change a step's outcome belongs to, told from the changes as planned (in their order, with their SQL) and
 * from the throwaway's history table before and after: the change a failure stopped at, the changes whose SQL names
 * an object an undo left behind, the lint's findings for what a step ran.
 */
final class Attribution {
    private static final Pattern CHANGESET = Pattern.compile("changeset \\S+::(\\S+)::(\\S+)");
    private static final List<String> TWO_WORD_KINDS = List.of("partitioned table ", "materialized view ",
            "foreign table ", "view definition ");

    private final List<PlannedChange> planned;
    private final LintReport lint;

    /** @param lint null when the lint did not run */
    Attribution(List<PlannedChange> planned, LintReport lint) {
        this.planned = List.copyOf(planned);
        this.lint = lint;
    }

    static Attribution none() {
        return new Attribution(List.of(), null);
    }

    /**
     * The lint's findings for what a step ran: those of its phase for the changesets it ran, or, when the tool keeps
     * no history table the rehearsal reads, all of the phase's.
     */
    List<Finding> lintFor(Phase phase, List<String> ran, boolean ledger) {
        if (lint == null || phase == null || (ledger && ran.isEmpty())) {
            return List.of();
        }
        return lint.findings().stream().filter(f -> f.phase() == phase)
                .filter(f -> !ledger || ran.contains(Ledger.name(f.change(), f.author()))).toList();
    }

    /** Liquibase runs a phase's changesets in order and stops at the first that fails: the first not recorded. */
    String firstMissing(Phase phase, Ledger after) {
        if (!after.present()) {
            return null;
        }
        return planned.stream().filter(p -> p.phase() == phase).map(p -> Ledger.name(p.id(), p.author()))
                .filter(name -> !after.has(name)).findFirst().orElse(null);
    }

    /** The expand changes among {@code candidates} (all of them when empty) whose SQL names a snapshot line's object. */
    List<String> namedIn(String line, List<String> candidates) {
        String object = objectName(line);
        Pattern word = Pattern.compile("(?<![\\w$])\"?" + Pattern.quote(object) + "\"?(?![\\w$])", Pattern.CASE_INSENSITIVE);
        return planned.stream().filter(p -> p.phase() == Phase.EXPAND)
                .filter(p -> candidates.isEmpty() || candidates.contains(Ledger.name(p.id(), p.author())))
                .filter(p -> word.matcher(p.sql()).find())
                .map(p -> Ledger.name(p.id(), p.author())).distinct().toList();
    }

    /** The object's own name in a snapshot line: the last part of its dotted name ("column public.t.c text" -> c). */
    static String objectName(String line) {
        String rest = line.substring(line.indexOf(' ') + 1);
        if (TWO_WORD_KINDS.stream().anyMatch(line::startsWith)) {
            rest = rest.substring(rest.indexOf(' ') + 1);
        }
        String dotted = rest.contains(" ") ? rest.substring(0, rest.indexOf(' ')) : rest;
        String name = dotted.substring(dotted.lastIndexOf('.') + 1);
        return name.contains("(") ? name.substring(0, name.indexOf('(')) : name;
    }

    /** The first changeset a message names (Liquibase writes them file::id::author), or null. */
    static String changeIn(String message) {
        Matcher m = CHANGESET.matcher(message);
        return m.find() ? Ledger.name(m.group(1), m.group(2)) : null;
    }
}
