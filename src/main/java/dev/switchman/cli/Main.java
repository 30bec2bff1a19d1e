package dev.switchman.cli;

import dev.switchman.model.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;

/** The {@code switchman} command line. One class per command; exit codes as in DESIGN.md section 3. */
@Command(name = "switchman", mixinStandardHelpOptions = true, versionProvider = Main.BuildVersion.class,
        description = "Zero-downtime blue/green releases for services on PostgreSQL.",
        subcommands = {InitCommand.class, UpCommand.class, DownCommand.class, RouterCommand.class, ReleaseCommand.class,
                RollbackCommand.class, PromoteCommand.class, AbortCommand.class, ServeCommand.class, CompletionCommand.class, StatusCommand.class, HistoryCommand.class, PlanCommand.class, LintCommand.class, RehearseCommand.class,
                DemoCommand.class,
                HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        // Liquibase and others log through java.util.logging: route it to the same stderr log.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("switchman: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return ExitCode.BAD_INPUT;
        });
        return cli.execute(args);
    }

    /** The version the build wrote into {@code version.properties}, so that {@code --version} never drifts from the pom. */
    static final class BuildVersion implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties build = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    build.load(in);
                }
            }
            String version = build.getProperty("version", "");
            // Unfiltered (run from sources without Maven's resource step) it still reads ${project.version}.
            return new String[] {"switchman " + (version.isBlank() || version.startsWith("${") ? "(version unknown)" : version)};
        }
    }
}
