package dev.switchman.rehearse;

import dev.switchman.db.DatabaseInfo;
import dev.switchman.lint.LintReport;
import dev.switchman.lint.Linter;
import dev.switchman.migration.Migrator;
import dev.switchman.migration.Migrator.Phase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A release's migrations rehearsed on a throwaway database, through the {@link Migrator} seam built for it: the
 * history before the release (a schema dump, or the changes the application's database has applied, or nothing),
 * then {@code check}, expand (with {@code schemaBefore}), the undo of expand back to that name, expand again, and
 * contract, each {@code migrator.verify} check after its phase. Each step stops the rest when it fails.
 *
 * <p>While each migration step runs it is watched ({@link Watched}): {@link LockSampler} samples the locks from a
 * second session every {@link #SAMPLE_INTERVAL} and cannot see a lock held for less than that; {@link StatementLocks}
 * reads them inside the migrating session at the end of each DDL statement, which a lock of DDL cannot escape (it
 * lasts to the end of the transaction), but sees nothing of DML, of a statement that failed, or of a lock released
 * inside a statement (CREATE INDEX CONCURRENTLY). The relations' files are compared before and after
 * ({@link Relations}); the lint's findings for the changes the step ran are put beside what was seen. After the undo
 * the schema must be what it was before expand, and after expand again what the first expand made
 * ({@link SchemaSnapshot}): a difference fails the step. Which changeset a failure stopped at is told from
 * Liquibase's {@code databasechangelog} before and after ({@link Attribution}); a tool that keeps no such table is
 * named by its own output. Observation failures (the throwaway database itself) fail the whole rehearsal;
 * failures of the changes are failed steps.
 */
public final class Rehearsal {
    static final Duration SAMPLE_INTERVAL = Duration.ofMillis(2);
    static final String OBSERVATION = "locks: sampled from a second session, " + SAMPLE_INTERVAL.toMillis()
            + " ms after the last sample (each step gives its mean interval; a lock held for less than that outside a"
            + " DDL statement can be missed), and read by the migrating"
            + " session at the end of each DDL statement; rewritten: a table or index with a new file (relfilenode)"
            + " after the step. The throwaway has only the rows the history inserted: how long the locks would be"
            + " held on the real tables is not measured";

    /**
     * @param schemaDump   a {@code pg_dump --schema-only} to start from, or null
     * @param application  the application's database, when its history may be read
     * @param tag          the name expand is tagged with (for Liquibase)
     * @param startedNanos when the command began, for the report's wall time
     */
    public record Options(Path schemaDump, ApplicationDatabase application, String tag, long startedNanos) {}

    private final Vertx vertx;
    private final Migrator migrator;
    private final DatabaseInfo db;
    private final Path workDir;
    private final String server;
    private final Migrator.Changes changes;
    private final Linter linter;
    private final Options options;
    private final Consumer<Step> progress;

    private final List<Step> steps = new ArrayList<>();
    private Attribution attribution = Attribution.none();
    private String lintNote;
    private String history;
    private String schemaTag;
    private Watched firstExpand;

    public Rehearsal(Vertx vertx, Migrator migrator, ThrowawayDatabase throwaway, Migrator.Changes changes, Linter linter,
                     Options options, Consumer<Step> progress) {
        this.vertx = vertx;
        this.migrator = migrator;
        this.db = throwaway.database();
        this.workDir = throwaway.dir();
        this.server = throwaway.serverVersion();
        this.changes = changes;
        this.linter = linter;
        this.options = options;
        this.progress = progress;
    }

    private record Named(String name, Supplier<Future<Step>> run) {}

    public Future<RehearsalReport> run() {
        return sequence(List.of(new Named("history", this::history)), 0, null)
                .compose(v -> failed() ? Future.succeededFuture() : prepare())
                .compose(v -> sequence(List.of(
                        new Named("check", this::check),
                        new Named("expand", this::expand),
                        new Named("undo-expand", this::undo),
                        new Named("expand-again", this::expandAgain),
                        new Named("contract", this::contract)), 0, failed() ? "history" : null))
                .map(v -> new RehearsalReport(changes.version(), changes.changelog(), server, history, List.copyOf(steps),
                        lintNote, OBSERVATION, (System.nanoTime() - options.startedNanos()) / 1_000_000));
    }

    private boolean failed() {
        return steps.stream().anyMatch(s -> !s.passed());
    }

    private Future<Void> sequence(List<Named> plan, int i, String stoppedBy) {
        if (i == plan.size()) {
            return Future.succeededFuture();
        }
        Named next = plan.get(i);
        if (stoppedBy != null) {
            record(Step.notRun(next.name(), stoppedBy + " failed"));
            return sequence(plan, i + 1, stoppedBy);
        }
        return Future.<Void>succeededFuture().compose(v -> next.run().get()).compose(step -> {
            record(step);
            return sequence(plan, i + 1, step.passed() ? null : next.name());
        });
    }

    private void record(Step step) {
        steps.add(step);
        progress.accept(step);
    }

    // ---- the steps

    private Future<Step> history() {
        long t0 = System.nanoTime();
        Path dump = options.schemaDump();
        ApplicationDatabase app = options.application();
        Future<String> loaded = dump == null ? Future.succeededFuture(null)
                : blocking(() -> SchemaDump.load(dump, db, workDir));
        return loaded.compose(dumpLine -> {
            if (!migrator.canReplayHistory() || !app.readable()) {
                String why = !migrator.canReplayHistory()
                        ? "this migrator cannot read which changes the application's database has applied"
                        : app.why();
                if (dumpLine == null) {
                    history = "an empty database: " + why + (migrator.canReplayHistory() ? "" : " (pass --from-schema)");
                    return Future.succeededFuture("nothing applied before this release: rehearsed from an empty database");
                }
                history = "the schema dump " + dump;
                return dumpHistoryWarning().map(warning -> dumpLine + warning);
            }
            String source = "the application's database " + app.database() + " (PostgreSQL " + app.serverVersion() + ")";
            history = dumpLine == null ? "the changes " + source + " has applied (read-only)"
                    : "the schema dump " + dump + ", with the changes " + source + " has applied (read-only) recorded as applied";
            return migrator.replayHistory(changes, app.database(), dumpLine != null)
                    .map(r -> (dumpLine == null ? "" : dumpLine + "; ") + r.detail());
        }).transform(done -> Future.succeededFuture(done.succeeded()
                ? new Step("history", Step.Result.PASSED, ms(t0), done.result(), null, List.of(), Observation.none(),
                        List.of(), List.of())
                : failedStep("history", ms(t0), "the history before this release does not apply: " + message(done.cause()))));
    }

    /** A dump without Liquibase's history rows, and no database to learn them from: every changeset would run anew. */
    private Future<String> dumpHistoryWarning() {
        if (!migrator.canReplayHistory()) {
            return Future.succeededFuture("");
        }
        return blocking(() -> {
            try (Connection c = db.open()) {
                Ledger ledger = Ledger.read(c);
                return ledger.changes().isEmpty() ? "; it records no changeset as applied (a schema-only dump has no"
                        + " rows), and " + options.application().why() + ", so every changeset runs as new: add the"
                        + " history's rows to the dump (pg_dump --data-only -t databasechangelog)" : "";
            }
        });
    }

    /** The observation's trigger and the lint, once the history is in (a plan command may ask the tool's revision). */
    private Future<Void> prepare() {
        Future<Void> installed = blocking(() -> {
            try (Connection c = db.open()) {
                StatementLocks.install(c);
            }
            return null;
        });
        if (!migrator.canPlan()) {
            lintNote = "not run: migrator.plan.expand and migrator.plan.contract are not both set";
            return installed;
        }
        return installed.compose(v -> migrator.planned(changes, false))
                .compose(p -> blocking(() -> {
                    LintReport report = linter.lint(p);
                    attribution = new Attribution(p, report);
                    return report;
                }))
                .map(report -> {
                    if (!report.findings().isEmpty() || !report.problems().isEmpty()) {
                        lintNote = report.unaccepted().size() + " finding(s), " + (report.findings().size()
                                - report.unaccepted().size()) + " accepted, over the whole changelog; 'switchman lint'"
                                + " gives each rule's why and its safe way" + (report.problems().isEmpty() ? ""
                                : "; " + String.join("; ", report.problems()));
                    }
                    return (Void) null;
                })
                .recover(e -> {
                    lintNote = "not run: " + message(e);
                    return Future.succeededFuture();
                });
    }

    private Future<Step> check() {
        long t0 = System.nanoTime();
        return Future.<Void>succeededFuture().compose(v -> migrator.check(changes)).transform(done -> Future.succeededFuture(
                done.succeeded()
                        ? new Step("check", Step.Result.PASSED, ms(t0), "the changes can run", null, List.of(),
                                Observation.none(), List.of(), List.of())
                        : new Step("check", Step.Result.FAILED, ms(t0), message(done.cause()),
                                Attribution.changeIn(message(done.cause())), List.of(), Observation.none(), List.of(), List.of())));
    }

    private Future<Step> expand() {
        return observe(() -> migrator.schemaBefore(changes, options.tag()).compose(before -> {
            schemaTag = before;
            return migrator.expand(changes, before);
        }).map(Migrator.MigrationResult::detail), Phase.EXPAND).map(o -> {
            firstExpand = o;
            List<String> ran = o.ledgerAfter().since(o.ledgerBefore());
            if (o.failure() != null) {
                return step("expand", Phase.EXPAND, o, Step.Result.FAILED, "expand failed: " + message(o.failure()),
                        attribution.firstMissing(Phase.EXPAND, o.ledgerAfter()), ran, List.of());
            }
            return step("expand", Phase.EXPAND, o, Step.Result.PASSED, o.detail(), null, ran, List.of());
        });
    }

    private Future<Step> undo() {
        return observe(() -> migrator.undoExpand(changes, schemaTag).map(Migrator.MigrationResult::detail), null).map(o -> {
            List<String> applied = firstExpand.ledgerAfter().since(firstExpand.ledgerBefore());
            List<String> left = applied.stream().filter(o.ledgerAfter()::has).toList();
            List<String> undone = applied.stream().filter(c -> !o.ledgerAfter().has(c)).toList();
            if (o.failure() != null) {
                // Liquibase undoes the changesets last first, each recorded as undone when its rollback committed.
                return step("undo-expand", null, o, Step.Result.FAILED, "the undo of expand failed: " + message(o.failure()),
                        left.isEmpty() ? null : left.getLast(), undone, List.of());
            }
            List<String> findings = new ArrayList<>();
            Set<String> named = new LinkedHashSet<>();
            if (!left.isEmpty()) {
                findings.add("the undo leaves changeset(s) recorded as applied: " + String.join(", ", left));
                named.add(left.getLast());
            }
            for (String line : firstExpand.schemaBefore().missingFrom(o.schemaAfter())) {
                List<String> in = attribution.namedIn(line, applied);
                named.addAll(in);
                findings.add("undo leaves " + line + mentioned(in));
            }
            for (String line : o.schemaAfter().missingFrom(firstExpand.schemaBefore())) {
                List<String> in = attribution.namedIn(line, applied);
                named.addAll(in);
                findings.add("undo does not bring back " + line + mentioned(in));
            }
            return findings.isEmpty()
                    ? step("undo-expand", null, o, Step.Result.PASSED, o.detail() + "; the schema is as it was before expand",
                            null, undone, List.of())
                    : step("undo-expand", null, o, Step.Result.FAILED, "the undo of expand does not bring the schema back to"
                            + " what it was before expand", named.isEmpty() ? null : String.join(", ", named), undone, findings);
        });
    }

    private Future<Step> expandAgain() {
        return observe(() -> migrator.expand(changes, schemaTag).map(Migrator.MigrationResult::detail), Phase.EXPAND).map(o -> {
            List<String> ran = o.ledgerAfter().since(o.ledgerBefore());
            if (o.failure() != null) {
                return step("expand-again", null, o, Step.Result.FAILED, "expand, applied again after its undo, failed: "
                        + message(o.failure()), attribution.firstMissing(Phase.EXPAND, o.ledgerAfter()), ran, List.of());
            }
            List<String> findings = new ArrayList<>();
            for (String line : firstExpand.schemaAfter().missingFrom(o.schemaAfter())) {
                findings.add("expand applied again makes " + line + ", which the first expand did not");
            }
            for (String line : o.schemaAfter().missingFrom(firstExpand.schemaAfter())) {
                findings.add("expand applied again does not make " + line + ", which the first expand did");
            }
            return findings.isEmpty()
                    ? step("expand-again", null, o, Step.Result.PASSED, o.detail() + "; the same schema as the first expand",
                            null, ran, List.of())
                    : step("expand-again", null, o, Step.Result.FAILED, "expand applied again makes another schema than the"
                            + " first time", null, ran, findings);
        });
    }

    private Future<Step> contract() {
        return observe(() -> migrator.contract(changes).map(Migrator.MigrationResult::detail), Phase.CONTRACT).map(o -> {
            List<String> ran = o.ledgerAfter().since(o.ledgerBefore());
            return o.failure() != null
                    ? step("contract", Phase.CONTRACT, o, Step.Result.FAILED, "contract failed: " + message(o.failure()),
                            attribution.firstMissing(Phase.CONTRACT, o.ledgerAfter()), ran, List.of())
                    : step("contract", Phase.CONTRACT, o, Step.Result.PASSED, o.detail(), null, ran, List.of());
        });
    }

    // ---- watching a step

    /**
     * Runs {@code work} watched, then (when {@code phase} is set and the work passed) the phase's
     * {@code migrator.verify} check, unwatched.
     */
    private Future<Watched> observe(Supplier<Future<String>> work, Phase phase) {
        return Watched.watch(vertx, db, work).compose(o -> o.failure() != null || phase == null ? Future.succeededFuture(o)
                : verified(o, phase));
    }

    private Future<Watched> verified(Watched o, Phase phase) {
        long t0 = System.nanoTime();
        return Future.<Void>succeededFuture().compose(v -> migrator.verify(changes, phase)).transform(checked ->
                Future.succeededFuture(o.then(checked.succeeded() ? checked.result() : null,
                        checked.failed() ? checked.cause() : null, ms(t0))));
    }

    /** @param lintPhase whose lint findings go beside the step (null: none; expand again has those of expand) */
    private Step step(String name, Phase lintPhase, Watched o, Step.Result result, String detail, String change,
                      List<String> ran, List<String> findings) {
        return new Step(name, result, o.durationMs(), detail, change, ran, o.observation(),
                attribution.lintFor(lintPhase, ran, o.ledgerAfter().present()), findings);
    }

    private static Step failedStep(String name, long millis, String detail) {
        return new Step(name, Step.Result.FAILED, millis, detail, null, List.of(), Observation.none(), List.of(), List.of());
    }

    private static String mentioned(List<String> changes) {
        return changes.isEmpty() ? "" : " (named in " + String.join(", ", changes) + ")";
    }

    // ---- plumbing

    private <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
