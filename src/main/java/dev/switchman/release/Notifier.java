package dev.switchman.release;

import dev.switchman.config.NotifyConfig;
import dev.switchman.model.ExitCode;
import dev.switchman.store.Event;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Tells a webhook of a release's events ({@code notify} in the config): started, a gate failed, rolled back,
 * released, a person must act. The body is Slack-compatible ({@code text}) with the release's fields beside it.
 * Each message is sent on its own, retried with a doubling pause, and never holds up the release: a failure is a
 * warning once the release is over. The webhook's URL is never shown (Slack's holds its secret): only its host.
 */
final class Notifier {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);

    private final Vertx vertx;
    private final WebClient client;
    private final URI target;
    private final NotifyConfig settings;
    private final String application;
    private final Consumer<String> warnings;
    private final Set<Future<Void>> pending = ConcurrentHashMap.newKeySet();
    private volatile String version;

    Notifier(Vertx vertx, NotifyConfig settings, URI target, String application, Consumer<String> warnings) {
        this.vertx = vertx;
        this.settings = settings;
        this.target = target;
        this.application = application;
        this.warnings = warnings;
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) settings.timeout().toMillis()));
    }

    /** Reports to {@code other} and notifies what the webhook is to hear of. */
    Progress alongside(Progress other, String version) {
        this.version = version;
        return new Progress() {
            @Override
            public void report(ProgressEvent event) {
                other.report(event);
                heard(event);
            }

            @Override
            public void flush() {
                other.flush();
            }
        };
    }

    private void heard(ProgressEvent event) {
        if (event instanceof ProgressEvent.StepEnded ended) {
            Outcome.Step step = ended.step();
            if (step.gate().equals("lock") && step.result() == Event.Kind.PASSED) {
                send("started", ":rocket: " + application + " " + version + ": release started (" + step.detail() + ")", step.gate(), null);
            } else if (step.result() == Event.Kind.FAILED || step.result() == Event.Kind.UNDO_FAILED) {
                send("gate-failed", ":warning: " + application + " " + version + ": " + (step.result().undo() ? "undo of " : "")
                        + step.gate() + " failed: " + step.detail(), step.gate(), step.detail());
            }
        }
    }

    /** The release ended: says how, then completes once every message was delivered or gave up (never fails). */
    Future<Void> ended(Outcome outcome) {
        String what = outcome.state() == null ? null : switch (outcome.exitCode()) {
            case ExitCode.RELEASED -> "released";
            case ExitCode.ROLLED_BACK -> "rolled-back";
            case ExitCode.ACT_NOW -> "act-now";
            default -> null;
        };
        if (what != null) {
            String text = switch (what) {
                case "released" -> ":white_check_mark: " + application + " " + outcome.version() + " released";
                case "rolled-back" -> ":leftwards_arrow_with_hook: " + application + " " + outcome.version() + " rolled back at "
                        + outcome.gate() + ": " + outcome.reason();
                default -> ":rotating_light: " + application + " " + outcome.version() + ": a person must act ("
                        + outcome.state() + " at " + outcome.gate() + "): " + outcome.reason();
            };
            send(what, text, outcome.gate(), outcome.reason(), outcome);
        }
        return Future.join(List.copyOf(pending)).transform(ar -> Future.succeededFuture());
    }

    private void send(String event, String text, String gate, String reason) {
        send(event, text, gate, reason, null);
    }

    private void send(String event, String text, String gate, String reason, Outcome outcome) {
        if (!settings.events().contains(event)) {
            return;
        }
        JsonObject body = new JsonObject().put("text", text).put("event", event).put("application", application)
                .put("version", outcome == null ? version : outcome.version()).put("gate", gate).put("reason", reason);
        if (outcome != null) {
            body.put("release", outcome.releaseId()).put("state", outcome.state() == null ? null : outcome.state().name())
                    .put("exitCode", outcome.exitCode());
        }
        Promise<Void> done = Promise.promise();
        pending.add(done.future());
        attempt(body, 1, FIRST_PAUSE, done);
    }

    private void attempt(JsonObject body, int attempt, Duration pause, Promise<Void> done) {
        client.postAbs(target.toString()).timeout(settings.timeout().toMillis()).sendJsonObject(body).onComplete(ar -> {
            String failure = ar.failed() ? ar.cause().getClass().getSimpleName() + (ar.cause().getMessage() == null ? ""
                    : ": " + ar.cause().getMessage().replace(target.toString(), target.getHost()))
                    : ar.result().statusCode() / 100 == 2 ? null : "answered " + ar.result().statusCode();
            if (failure == null) {
                done.complete();
            } else if (attempt < settings.attempts()) {
                vertx.setTimer(pause.toMillis(), t -> attempt(body, attempt + 1, pause.multipliedBy(2), done));
            } else {
                warnings.accept("warning: the notify webhook at " + target.getHost() + " did not take '" + body.getString("event")
                        + "' after " + attempt + " attempt(s): " + failure);
                done.complete();
            }
        });
    }
}
