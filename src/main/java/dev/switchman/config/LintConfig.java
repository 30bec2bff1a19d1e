package dev.switchman.config;

import java.util.List;

/**
 * {@code lint}: findings accepted for a change, each with the reason it is safe, for changes whose text cannot
 * carry a {@code switchman:accept} note (a tool's generated SQL, a file the team does not edit).
 */
public record LintConfig(List<Acceptance> accept) {

    /** {@code lint.accept[]}: the change (a changeset's id, a revision), the rule's id, and why it is safe. */
    public record Acceptance(String change, String rule, String reason) {
        public Acceptance {
            if (change == null || change.isBlank() || rule == null || rule.isBlank()) {
                throw new IllegalArgumentException("lint.accept: each entry needs 'change' (a changeset id or revision)"
                        + " and 'rule' (a lint rule's id)");
            }
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("lint.accept: the entry for change '" + change + "', rule '" + rule
                        + "' gives no 'reason': write why it is safe");
            }
        }
    }

    public LintConfig {
        accept = accept == null ? List.of() : List.copyOf(accept);
    }

    public static LintConfig none() {
        return new LintConfig(null);
    }
}
