package dev.switchman.gate;

import dev.switchman.health.HealthCheck;
import dev.switchman.model.Endpoint;
import dev.switchman.model.SlotRecord;
import dev.switchman.release.ReleaseContext;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** Health-checks every endpoint of a slot; the gate fails naming the first endpoint that did not pass. */
final class HealthGates {
    private HealthGates() {}

    static Future<String> checkSlot(ReleaseContext ctx, SlotRecord slot, String version) {
        List<Future<HealthCheck.Verdict>> checks = new ArrayList<>();
        List<Endpoint> endpoints = ctx.seams.platform().endpoints(slot);
        for (Endpoint endpoint : endpoints) {
            checks.add(ctx.unlessStopped(ctx.seams.health().check(endpoint, version)));
        }
        String what = version + " in " + slot.colour();
        return Future.all(checks).compose(all -> {
            for (int i = 0; i < endpoints.size(); i++) {
                HealthCheck.Verdict verdict = all.resultAt(i);
                if (!verdict.passed()) {
                    return Future.failedFuture(new GateFailure(what + " at " + endpoints.get(i) + " is not healthy after "
                            + verdict.probes() + " probe(s): " + verdict.reason()));
                }
            }
            return Future.succeededFuture(what + " healthy on " + endpoints.size() + " endpoint(s)");
        });
    }
}
