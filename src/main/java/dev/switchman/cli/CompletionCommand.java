package dev.switchman.cli;

import dev.switchman.config.ConfigException;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code switchman completion bash|zsh}: the shell's completion script for every command and option, made by
 * picocli from the commands themselves, so it never drifts from them. zsh runs the bash script through bashcompinit.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a completion script: source <(switchman completion bash), or zsh.")
final class CompletionCommand implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "bash", description = "bash or zsh (default: ${DEFAULT-VALUE}).")
    String shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("switchman", new CommandLine(new Main()));
        switch (shell) {
            case "bash" -> System.out.print(script);
            case "zsh" -> System.out.print("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script);
            default -> {
                System.err.println("switchman: " + new ConfigException("completion " + shell + ": use bash or zsh").getMessage());
                return 2;
            }
        }
        return 0;
    }
}
