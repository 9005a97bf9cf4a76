package io.cartero.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code cartero}: the top command, which only holds the subcommands and global options. */
@Command(name = "cartero", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false, synopsisSubcommandLabel = "[${bundle:label.command:-COMMAND}]")
final class CarteroCommand implements Callable<Integer> {
    private final Texts texts;

    @Spec
    private CommandSpec spec;

    /**
     * Declared so that the parser accepts it anywhere; {@link Language#choose} has already read
     * it before parsing, so that help and parse errors come out in that language.
     */
    @Option(names = "--lang", paramLabel = "es|en", scope = ScopeType.INHERIT,
            descriptionKey = "lang")
    private Language language;

    CarteroCommand(Texts texts) {
        this.texts = texts;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), texts.get("error.usage.no_command"));
    }
}
