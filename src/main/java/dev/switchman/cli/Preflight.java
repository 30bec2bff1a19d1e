package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import dev.switchman.release.Colour;
import dev.switchman.store.LiveState;
import java.util.Optional;

/**
 * What a release checks before it touches anything, so that bad input ends with exit 2 and the system as it
 * was: Switchman's schema, the changelog (parses, every change labelled), the router (running and answering),
 * the target slot (its port free).
 */
final class Preflight {
    private Preflight() {}

    static void check(Wiring wiring, String changelog) {
        BaseCommand.await(wiring.seams.store().migrate());
        BaseCommand.await(wiring.seams.migrator().check(changelog));
        try {
            BaseCommand.await(wiring.seams.router().status());
        } catch (RuntimeException e) {
            throw new ConfigException("router (" + wiring.config.config().router().type() + "): " + e.getMessage());
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
