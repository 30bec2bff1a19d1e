package dev.switchman.gate;

import dev.switchman.config.Durations;
import dev.switchman.migration.Migrator;
import dev.switchman.migration.PauseMarks;
import dev.switchman.release.ReleaseContext;
import dev.switchman.traffic.Router;
import io.vertx.core.Future;
import java.util.List;

/**
 * Applies the contract changes, which the old version may not survive: the point of no return. A
 * {@code migrator.verify.contract} that does not hold afterwards is reported (exit 3): nothing can be undone. When
 * a contract change is marked {@code switchman:pause}, the router holds new requests while the contract changes run
 * and sends them on after, so that no request waits on the exclusive lock the change takes.
 */
public final class ContractGate implements Gate {

    @Override
    public String name() {
        return "contract";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        Migrator migrator = ctx.seams.migrator();
        Future<PauseMarks.Pause> marks = migrator.canPlan()
                ? migrator.planned(ctx.changes(), true).map(PauseMarks::of)
                : Future.succeededFuture(PauseMarks.of(List.of()));
        // From here on the new slot is the live one, whatever happens next: the store says so before contract.
        return marks.compose(pause -> ctx.newIsLive()
                .compose(v -> pause.none() ? contract(ctx) : paused(ctx, pause)));
    }

    private static Future<String> contract(ReleaseContext ctx) {
        Migrator migrator = ctx.seams.migrator();
        return MigrationTiming.timed(ctx, Migrator.Step.CONTRACT, () -> migrator.contract(ctx.changes()))
                .compose(done -> migrator.verify(ctx.changes(), Migrator.Phase.CONTRACT)
                        .map(checked -> checked == null ? done.detail() : done.detail() + "; " + checked));
    }

    /**
     * The contract changes with the router holding requests: none runs unless the router holds. Whatever they do, the
     * router is resumed; one that cannot be reached resumes by itself at the bound.
     */
    private static Future<String> paused(ReleaseContext ctx, PauseMarks.Pause pause) {
        Router router = ctx.seams.router();
        String held = "requests held up to " + Durations.format(pause.bound()) + " for " + pause.where();
        return router.pause(pause.bound())
                .recover(e -> Future.failedFuture(new IllegalStateException("the router could not hold requests for "
                        + pause.where() + " (" + e.getMessage() + "); no contract change ran", e)))
                .compose(v -> contract(ctx).transform(ran -> router.resume().transform(resumed -> {
                    String note = resumed.succeeded() ? held
                            : held + "; the router did not answer the resume (" + resumed.cause().getMessage()
                              + "): it resumes by itself at the bound";
                    return ran.succeeded() ? Future.succeededFuture(ran.result() + "; " + note)
                            : Future.failedFuture(ran.cause());
                })));
    }

    @Override
    public boolean pointOfNoReturn() {
        return true;
    }
}
