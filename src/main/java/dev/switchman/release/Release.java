package dev.switchman.release;

import dev.switchman.gate.BackupGate;
import dev.switchman.gate.BakeGate;
import dev.switchman.gate.CheckNewGate;
import dev.switchman.gate.ContractGate;
import dev.switchman.gate.DeployNewGate;
import dev.switchman.gate.ExpandGate;
import dev.switchman.gate.Gate;
import dev.switchman.gate.LockGate;
import dev.switchman.gate.RetireLiveGate;
import dev.switchman.gate.ShiftGate;
import dev.switchman.gate.UndoHeld;
import dev.switchman.gate.VerifyLiveGate;
import dev.switchman.model.ConflictException;
import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.store.Event;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A release's whole flow: the gates in order; when one fails, the gates reached are undone in reverse and the
 * release ends ROLLED_BACK with that gate and its reason. Contract is the point of no return: from there a
 * failure is reported (exit 3) and nothing is undone. The same undo path serves {@code switchman rollback},
 * which rebuilds the context from the store after the coordinator died.
 */
public final class Release {
    public static final List<Gate> GATES = List.of(
            new LockGate(), new BackupGate(), new ExpandGate(), new VerifyLiveGate(), new DeployNewGate(),
            new CheckNewGate(), new ShiftGate(), new BakeGate(), new ContractGate(), new RetireLiveGate());

    private final ReleaseContext ctx;
    private final List<Outcome.Step> steps = new ArrayList<>();

    public Release(ReleaseContext ctx) {
        this.ctx = ctx;
    }

    public Future<Outcome> run() {
        return runFrom(0);
    }

    /** Runs the gates from {@code index} on: used by {@code rollback} to finish a release killed past contract. */
    Future<Outcome> resume(int index) {
        return runFrom(index);
    }

    private Future<Outcome> runFrom(int index) {
        if (index == GATES.size()) {
            return end(ReleaseState.RELEASED, null, null);
        }
        Gate gate = GATES.get(index);
        // Asked to stop between two gates: before contract, undo what was reached; past it, finish.
        if (ctx.stopReason().isPresent() && !pastPointOfNoReturn(index)) {
            return stopped(index, ctx.stopReason().get());
        }
        return step(gate, false, () -> gate.run(ctx))
                .compose(v -> runFrom(index + 1), failure -> {
                    String reason = reason(failure);
                    if (ctx.record() == null) {
                        return notBegun(failure instanceof ConflictException ? Outcome.conflict(ctx.version(), reason)
                                : new Outcome(ExitCode.ROLLED_BACK, null, null, ctx.version(), gate.name(), reason, List.copyOf(steps)));
                    }
                    if (pastPointOfNoReturn(index)) {
                        ctx.note(null, "Past the point of no return (contract): nothing is undone. A person must act.");
                        return end(ReleaseState.FAILED_PAST_CONTRACT, gate.name(), reason);
                    }
                    return rollBack(index, gate.name(), reason);
                });
    }

    private static boolean pastPointOfNoReturn(int index) {
        return GATES.subList(0, index + 1).stream().anyMatch(Gate::pointOfNoReturn);
    }

    /** Stops before gate {@code index}: the gates before it are undone, as after a failure of the last of them. */
    private Future<Outcome> stopped(int index, String reason) {
        ctx.note(null, "Stopping before " + GATES.get(index).name() + ": " + reason);
        if (ctx.record() == null) {
            return notBegun(new Outcome(ExitCode.ROLLED_BACK, null, null, ctx.version(), GATES.get(index).name(), reason,
                    List.copyOf(steps)));
        }
        return rollBack(index - 1, GATES.get(index - 1).name(), reason);
    }

    /** Ended before the release row existed: nothing was touched but the lock, if it was taken. */
    private Future<Outcome> notBegun(Outcome outcome) {
        return ctx.seams.store().unlock(ctx.application).transform(ar -> Future.succeededFuture(outcome));
    }

    /** Undoes the gates up to and including {@code lastReached}, in reverse, then ends ROLLED_BACK (or ROLLBACK_FAILED). */
    public Future<Outcome> rollBack(int lastReached, String failedGate, String reason) {
        ctx.note(null, "Rolling back: " + failedGate + ": " + reason);
        Future<?> rollingBack = ctx.record().state() == ReleaseState.ROLLING_BACK ? Future.succeededFuture()
                : ctx.seams.store().transition(ctx.record().id(), ReleaseState.ROLLING_BACK, failedGate, reason)
                        .onSuccess(ctx::recorded);
        return rollingBack
                .compose(r -> undoFrom(lastReached, new ArrayList<>()))
                .compose(undoFailures -> undoFailures.isEmpty()
                        ? end(ReleaseState.ROLLED_BACK, failedGate, reason)
                        : end(ReleaseState.ROLLBACK_FAILED, failedGate,
                                reason + "; rollback incomplete: " + String.join("; ", undoFailures)));
    }

    private Future<List<String>> undoFrom(int index, List<String> failures) {
        if (index < 0) {
            return Future.succeededFuture(failures);
        }
        Gate gate = GATES.get(index);
        // Every undo runs even when an earlier one failed: leave as little as possible for a person to do. Only an
        // undo that holds (what the earlier undos would stop is what serves users now) ends the rollback there.
        return step(gate, true, () -> gate.undo(ctx))
                .transform(undone -> {
                    if (undone.failed()) {
                        failures.add(gate.name() + ": " + reason(undone.cause()));
                        if (undone.cause() instanceof UndoHeld) {
                            return Future.succeededFuture(failures);
                        }
                    }
                    return undoFrom(index - 1, failures);
                });
    }

    /** Records the step's start (and, for a run, the gate reached) before the work begins, then its result. */
    private Future<Void> step(Gate gate, boolean undo, Supplier<Future<String>> work) {
        long start = System.nanoTime();
        ctx.progress.report(new ProgressEvent.StepStarted(gate.name(), undo));
        Future<Void> started = ctx.log(gate.name(), undo ? Event.Kind.UNDO_STARTED : Event.Kind.STARTED, null, null)
                .compose(v -> undo || ctx.record() == null ? Future.succeededFuture()
                        : ctx.seams.store().gateReached(ctx.record().id(), gate.name()));
        return started.compose(v -> work.get()).transform(ar -> {
            long millis = (System.nanoTime() - start) / 1_000_000;
            String detail = ar.succeeded() ? ar.result() : reason(ar.cause());
            Outcome.Step step = new Outcome.Step(gate.name(), Event.Kind.ended(undo, ar.succeeded()), millis, detail);
            steps.add(step);
            ctx.progress.report(new ProgressEvent.StepEnded(step));
            Future<Void> logged = ctx.log(gate.name(), step.result(), millis, detail);
            return ar.succeeded() ? logged : logged.transform(x -> Future.failedFuture(ar.cause()));
        });
    }

    private Future<Outcome> end(ReleaseState state, String gate, String reason) {
        return ctx.seams.store().transition(ctx.record().id(), state, gate, reason)
                .onSuccess(ctx::recorded)
                .compose(r -> ctx.seams.store().unlock(ctx.application))
                .map(v -> new Outcome(state.exitCode(), state, ctx.record().id(), ctx.version(), gate, reason, List.copyOf(steps)));
    }

    public static int indexOf(String gateName) {
        for (int i = 0; i < GATES.size(); i++) {
            if (GATES.get(i).name().equals(gateName)) {
                return i;
            }
        }
        return -1;
    }

    static String reason(Throwable failure) {
        return failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }
}
