package dev.switchman.gate;

import dev.switchman.migration.Migrator;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;

/**
 * Applies the contract changes, which the old version may not survive: the point of no return. A
 * {@code migrator.verify.contract} that does not hold afterwards is reported (exit 3): nothing can be undone.
 */
public final class ContractGate implements Gate {

    @Override
    public String name() {
        return "contract";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        // From here on the new slot is the live one, whatever happens next: the store says so before contract.
        return ctx.newIsLive()
                .compose(v -> ctx.seams.migrator().contract(ctx.changes()))
                .compose(done -> ctx.seams.migrator().verify(ctx.changes(), Migrator.Phase.CONTRACT)
                        .map(checked -> checked == null ? done.detail() : done.detail() + "; " + checked));
    }

    @Override
    public boolean pointOfNoReturn() {
        return true;
    }
}
