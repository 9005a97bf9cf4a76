package io.cartero.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.MutuallyExclusiveArgsException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a command line that cannot be parsed, in the user's language, with a pointer to the
 * command's help; exit code 2.
 */
final class UsageErrors implements IParameterExceptionHandler {
    private final Texts texts;

    UsageErrors(Texts texts) {
        this.texts = texts;
    }

    @Override
    public int handleParseException(ParameterException error, String[] args) {
        CommandLine commandLine = error.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(describe(error));
        err.println(texts.get("error.usage.help", commandLine.getCommandSpec().qualifiedName()));
        err.flush();
        return ExitCodes.USAGE;
    }

    /** What is wrong with the command line, for people. */
    String describe(ParameterException error) {
        if (error instanceof UnmatchedArgumentException unmatched) {
            return unmatched(unmatched);
        }
        if (error instanceof MissingParameterException missing) {
            return texts.get("error.usage.missing", names(missing.getMissing()));
        }
        if (error instanceof MutuallyExclusiveArgsException) {
            return texts.get("error.usage.exclusive");
        }
        if (error.getArgSpec() != null && error.getValue() != null) {
            return texts.get("error.usage.invalid_value", name(error.getArgSpec()),
                    error.getValue());
        }
        return error.getMessage();
    }

    private String unmatched(UnmatchedArgumentException error) {
        String arguments = String.join(" ", error.getUnmatched());
        List<String> suggestions = error.getSuggestions();
        if (suggestions.isEmpty()) {
            return texts.get("error.usage.unknown", arguments);
        }
        return texts.get("error.usage.unknown_did_you_mean", arguments,
                String.join(", ", suggestions));
    }

    private static String names(List<ArgSpec> specs) {
        return specs.stream().map(UsageErrors::name).collect(Collectors.joining(", "));
    }

    private static String name(ArgSpec spec) {
        return spec.isOption() ? ((OptionSpec) spec).longestName() : spec.paramLabel();
    }
}
