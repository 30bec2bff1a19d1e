package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.model.Colour;
import dev.switchman.release.Wiring;
import dev.switchman.store.LiveState;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * What a release checks before it touches anything, so that bad input ends with exit 2 and the system as it
 * was: Switchman's schema, the changelog (parses, every change labelled), the router (running and answering),
 * the target slot (its port free).
 */
final class Preflight {
    private Preflight() {}

    static void check(Wiring wiring, String changelog) {
        // Independent checks run side by side; failures are reported in this order.
        Future<Void> schema = wiring.seams.store().migrate();
        Future<Void> changes = wiring.seams.migrator().check(changelog);
        Future<?> router = wiring.seams.router().status();
        BaseCommand.await(Future.join(schema, changes, router).transform(ar -> Future.succeededFuture()));
        BaseCommand.await(schema);
        BaseCommand.await(changes);
        if (router.failed()) {
            throw new ConfigException("router (" + wiring.config.config().router().type() + "): " + router.cause().getMessage());
        }
        Optional<LiveState> live = BaseCommand.await(wiring.seams.store().live(wiring.config.application()));
        Colour target = live.map(l -> l.colour().other()).orElse(Colour.BLUE);
        boolean recorded = BaseCommand.await(wiring.seams.store().slot(wiring.config.application(), target)).isPresent();
        if (!recorded) {
            try {
                BaseCommand.await(wiring.seams.platform().preflight(target));
            } catch (RuntimeException e) {
                throw e instanceof ConfigException ? e : new ConfigException("platform: " + e.getMessage());
            }
        }
    }
}
