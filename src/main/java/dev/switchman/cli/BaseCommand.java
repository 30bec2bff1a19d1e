package dev.switchman.cli;

import ch.qos.logback.classic.Level;
import dev.switchman.config.ConfigException;
import dev.switchman.config.LoadedConfig;
import dev.switchman.model.ConflictException;
import dev.switchman.model.ExitCode;
import dev.switchman.spi.Kinds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What every command shares: the config file, {@code --json}, and turning failures into exit codes with a
 * message that says what to do. Human output goes to stderr, the JSON summary to stdout.
 */
abstract class BaseCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, description = "The application's config file (default: ${DEFAULT-VALUE}).",
            defaultValue = "switchman.yaml")
    Path configFile;

    @Option(names = "--json", description = "Print one machine-readable summary on stdout.")
    boolean json;

    @Option(names = "--log-format", description = "text or json: json makes every line on stderr a JSON object"
            + " (default: ${DEFAULT-VALUE}).", defaultValue = "text")
    String logFormat;

    // Every command answers --help with its usage (exit 0), as the top level does.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    protected final PrintStream err = System.err;

    protected abstract int execute() throws Exception;

    @Override
    public final Integer call() {
        try {
            if (logFormat.equals("json")) {
                LogFormat.useJson();
            } else if (!logFormat.equals("text")) {
                throw new ConfigException("--log-format " + logFormat + ": use text or json");
            }
            return execute();
        } catch (Exception e) {
            Throwable cause = unwrap(e);
            int code = cause instanceof ConfigException ? ExitCode.BAD_INPUT
                    : cause instanceof ConflictException ? ExitCode.CONFLICT
                    : ExitCode.ACT_NOW;
            String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            LogFormat.print(err, Level.ERROR, "switchman: " + message);
            CiOutput.failed(System.getenv(), err, commandName(), message);
            if (code == ExitCode.ACT_NOW) {
                LogFormat.print(err, Level.ERROR, "switchman: unexpected failure; run 'switchman status' to see what is left");
            }
            if (json) {
                System.out.println(new JsonObject().put("exitCode", code).put("error", message).encode());
            }
            return code;
        }
    }

    private String commandName() {
        Command command = getClass().getAnnotation(Command.class);
        return command == null ? "" : command.name();
    }

    protected LoadedConfig loadConfig() {
        return Kinds.loadConfig(configFile);
    }

    /** The config for a command that uses no strategy: a broken strategy file does not stop it. */
    protected LoadedConfig loadConfigWithoutStrategy() {
        return Kinds.loadConfigWithoutStrategy(configFile);
    }

    protected void printJson(JsonObject summary) {
        if (json) {
            System.out.println(summary.encode());
        }
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
