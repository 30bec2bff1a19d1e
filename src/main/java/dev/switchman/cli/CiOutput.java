package dev.switchman.cli;

import dev.switchman.release.Outcome;
import dev.switchman.release.Progress;
import dev.switchman.release.ProgressEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * What a CI service shows of a release besides its log. Under GitHub Actions: {@code ::error::} for a failure,
 * {@code ::warning::} for a warning a gate gave, and a step summary ({@code $GITHUB_STEP_SUMMARY}) with the gates
 * and their timings. Under GitLab CI: each gate's lines in a collapsible section of the job log. Elsewhere: nothing.
 * Every line goes through the progress printer, so it stays in order with the progress lines.
 */
final class CiOutput implements Progress {
    enum Service { NONE, GITHUB, GITLAB }

    private final Service service;
    private final ProgressPrinter printer;
    private final Map<String, String> env;

    private CiOutput(Service service, ProgressPrinter printer, Map<String, String> env) {
        this.service = service;
        this.printer = printer;
        this.env = env;
    }

    static CiOutput of(ProgressPrinter printer, Map<String, String> env) {
        return new CiOutput(service(env), printer, env);
    }

    static Service service(Map<String, String> env) {
        return "true".equals(env.get("GITHUB_ACTIONS")) ? Service.GITHUB
                : "true".equals(env.get("GITLAB_CI")) ? Service.GITLAB : Service.NONE;
    }

    @Override
    public void report(ProgressEvent event) {
        if (service == Service.GITLAB && event instanceof ProgressEvent.StepStarted started) {
            // ESC[0K clears what the runner drew on the line; the section's name must be unique in the job.
            printer.line("\u001b[0Ksection_start:" + Instant.now().getEpochSecond() + ":" + section(started.gate(), started.undo())
                    + "[collapsed=false]\r\u001b[0K" + (started.undo() ? "undo " : "") + started.gate());
        }
        printer.report(event);
        if (service == Service.GITLAB && event instanceof ProgressEvent.StepEnded ended) {
            printer.line("\u001b[0Ksection_end:" + Instant.now().getEpochSecond() + ":"
                    + section(ended.step().gate(), ended.step().result().undo()) + "\r\u001b[0K");
        }
        if (service == Service.GITHUB && event instanceof ProgressEvent.Note note && note.text().startsWith("warning:")) {
            printer.line(command("warning", "switchman " + (note.gate() == null ? "release" : note.gate()), note.text()));
        }
    }

    @Override
    public void flush() {
        printer.flush();
    }

    /** After the release: an error annotation when it did not release, and the step summary. */
    void finish(String application, Outcome outcome, String headline, PrintStream err) {
        if (service != Service.GITHUB) {
            return;
        }
        if (outcome.exitCode() != 0) {
            printer.line(command("error", "switchman: " + application + " " + outcome.version() + " not released",
                    headline + (outcome.reason() == null ? "" : ": " + outcome.reason())));
        }
        printer.flush();
        String file = env.get("GITHUB_STEP_SUMMARY");
        if (file == null || file.isBlank()) {
            return;
        }
        StringBuilder md = new StringBuilder("### ").append(escapeCell(headline)).append("\n\n")
                .append("| gate | step | result | ms | detail |\n|---|---|---|---:|---|\n");
        for (Outcome.Step step : outcome.steps()) {
            md.append("| ").append(step.gate()).append(" | ").append(step.action()).append(" | ").append(step.result().id())
                    .append(" | ").append(step.millis()).append(" | ").append(escapeCell(step.detail())).append(" |\n");
        }
        md.append('\n');
        try {
            Files.writeString(Path.of(file), md, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            err.println("switchman: warning: could not write the step summary to GITHUB_STEP_SUMMARY (" + file + "): " + e.getMessage());
        }
    }

    /** An error annotation for a command that failed before or outside a release (bad input, a conflict). */
    static void failed(Map<String, String> env, PrintStream err, String command, String message) {
        if (service(env) == Service.GITHUB) {
            err.println(command("error", "switchman " + command, message));
        }
    }

    /** A workflow command: {@code ::error title=...::message}, escaped as GitHub's toolkit escapes them. */
    static String command(String kind, String title, String message) {
        return "::" + kind + " title=" + escapeProperty(title) + "::" + escapeData(message);
    }

    private static String escapeData(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String escapeProperty(String s) {
        return escapeData(s).replace(":", "%3A").replace(",", "%2C");
    }

    private static String escapeCell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }

    private static String section(String gate, boolean undo) {
        return "switchman_" + (undo ? "undo_" : "") + gate.replace('-', '_');
    }
}
