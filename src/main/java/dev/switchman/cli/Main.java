package dev.switchman.cli;

import dev.switchman.model.ExitCode;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The {@code switchman} command line. One class per command; exit codes as in DESIGN.md section 3. */
@Command(name = "switchman", mixinStandardHelpOptions = true, version = "switchman 0.1.0",
        description = "Zero-downtime blue/green releases for services on PostgreSQL.",
        subcommands = {InitCommand.class, UpCommand.class, DownCommand.class, RouterCommand.class, ReleaseCommand.class,
                RollbackCommand.class, StatusCommand.class, HistoryCommand.class, PlanCommand.class, DemoCommand.class,
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
}
