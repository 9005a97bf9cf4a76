package io.cartero.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code cartero}: the top command, which holds the subcommands and global options. Alone, it
 * shows the start menu to a person at a terminal, and the usage otherwise.
 */
@Command(name = "cartero", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false, synopsisSubcommandLabel = "[${bundle:label.command:-COMMAND}]")
final class CarteroCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    private CommandSpec spec;

    /**
     * Declared so that the parser accepts it anywhere; {@link Language#choose} has already read
     * it before parsing, so that help and parse errors come out in that language.
     */
    @Option(names = "--lang", paramLabel = "es|en", scope = ScopeType.INHERIT,
            descriptionKey = "lang")
    private Language language;

    CarteroCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        if (context.interactive()) {
            return new StartMenu(context, commandLine.getSubcommands().keySet()).run();
        }
        PrintWriter err = commandLine.getErr();
        err.println(context.texts().get("error.usage.no_command"));
        err.println();
        commandLine.usage(err);
        err.flush();
        return ExitCodes.USAGE;
    }
}
