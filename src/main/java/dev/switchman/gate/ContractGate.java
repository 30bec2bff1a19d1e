package dev.switchman.gate;

import dev.switchman.migration.Migrator;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;

/** Applies the contract changes, which the old version may not survive: the point of no return. */
public final class ContractGate implements Gate {

    @Override
    public String name() {
        return "contract";
    }

    @Override
    public Future<String> run(ReleaseContext ctx) {
        // From here on the new slot is the live one, whatever happens next: the store says so before contract.
        return ctx.newIsLive()
                .compose(v -> ctx.seams.migrator().contract(ctx.changelog()))
                .map(Migrator.MigrationResult::detail);
    }

    @Override
    public boolean pointOfNoReturn() {
        return true;
    }
}
