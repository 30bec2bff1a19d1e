package dev.switchman.store;

import static dev.switchman.support.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.db.DatabaseInfo;
import dev.switchman.model.Colour;
import dev.switchman.model.ReleaseState;
import dev.switchman.support.TestDatabase;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A person's say in a running release, kept on its row: the promote it waits for, and a request to abort it. */
class ReleaseDecisionTest {
    private static final String BEFORE_SWITCH = "promote before the switch";
    private static final String BEFORE_CONTRACT = "promote before contract";
    private Vertx vertx;
    private PgReleaseStore store;
    private ReleaseRecord release;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        DatabaseInfo db = TestDatabase.fresh();
        store = PgReleaseStore.connect(vertx, Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC), db);
        await(store.migrate());
        release = await(store.begin("shop", "v2", Colour.BLUE, "v1", Colour.GREEN, null));
    }

    @AfterEach
    void tearDown() {
        store.close();
        vertx.close();
    }

    @Test
    void aNewReleaseWaitsForNothingAndNobodyAskedToStopIt() {
        assertThat(await(store.decision(release.id()))).contains(new Decision(null, 0, null));
        assertThat(await(store.decision(release.id() + 1))).isEmpty();
    }

    @Test
    void aPromoteApprovesTheWaitItSawOnce() {
        assertThat(await(store.awaitPromote(release.id(), BEFORE_SWITCH))).isZero();
        assertThat(await(store.decision(release.id()))).contains(new Decision(BEFORE_SWITCH, 0, null));

        assertThat(await(store.promote(release.id(), BEFORE_SWITCH))).isTrue();
        assertThat(await(store.decision(release.id()))).contains(new Decision(null, 1, null));
        // A second promote of the same wait approves nothing more.
        assertThat(await(store.promote(release.id(), BEFORE_SWITCH))).isFalse();
        assertThat(await(store.decision(release.id())).orElseThrow().approvals()).isEqualTo(1);
    }

    @Test
    void aPromoteNeverApprovesALaterWaitItDidNotSee() {
        await(store.awaitPromote(release.id(), BEFORE_SWITCH));
        await(store.clearAwaiting(release.id(), BEFORE_SWITCH)); // that wait ended (its deadline, say)
        assertThat(await(store.awaitPromote(release.id(), BEFORE_CONTRACT))).isZero();

        assertThat(await(store.promote(release.id(), BEFORE_SWITCH))).as("the wait it saw is over").isFalse();
        assertThat(await(store.decision(release.id()))).contains(new Decision(BEFORE_CONTRACT, 0, null));

        assertThat(await(store.promote(release.id(), BEFORE_CONTRACT))).isTrue();
        assertThat(await(store.awaitPromote(release.id(), "promote again"))).as("promotes so far").isEqualTo(1);
    }

    @Test
    void clearingAWaitLeavesAnotherOneAsItIs() {
        await(store.awaitPromote(release.id(), BEFORE_CONTRACT));
        await(store.clearAwaiting(release.id(), BEFORE_SWITCH));
        assertThat(await(store.decision(release.id())).orElseThrow().awaiting()).isEqualTo(BEFORE_CONTRACT);
        await(store.clearAwaiting(release.id(), BEFORE_CONTRACT));
        assertThat(await(store.decision(release.id())).orElseThrow().waiting()).isFalse();
    }

    @Test
    void theFirstAbortRequestsReasonIsKept() {
        assertThat(await(store.requestAbort(release.id(), "aborted by switchman abort"))).isTrue();
        assertThat(await(store.requestAbort(release.id(), "a second reason"))).isTrue();
        assertThat(await(store.decision(release.id())).orElseThrow().abortRequested()).isEqualTo("aborted by switchman abort");
    }

    @Test
    void aReleaseThatEndedTakesNeitherPromoteNorAbort() {
        await(store.awaitPromote(release.id(), BEFORE_SWITCH));
        await(store.transition(release.id(), ReleaseState.ROLLING_BACK, "shift", "failed"));

        assertThat(await(store.promote(release.id(), BEFORE_SWITCH))).isFalse();
        assertThat(await(store.requestAbort(release.id(), "aborted by switchman abort"))).isFalse();
        assertThat(await(store.decision(release.id()))).contains(new Decision(BEFORE_SWITCH, 0, null));
    }
}
