package io.cartero.cli;

import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import java.util.Collection;
import java.util.stream.Collectors;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/** What the interactive commands share: a line reader, the name prompt, printing. */
final class Prompts {
    private Prompts() {
    }

    /** A line reader that leaves what people type as it is ({@code !} is not history). */
    static LineReader lineReader(Terminal terminal) {
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("cartero")
                .build();
        reader.setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION);
        return reader;
    }

    /**
     * Asks for a user name until a valid one is typed; {@code null} if the person leaves with
     * Ctrl+C or Ctrl+D instead.
     */
    static String askName(LineReader reader, Texts texts) {
        while (true) {
            String typed;
            try {
                typed = reader.readLine(texts.get("prompt.name")).strip();
            } catch (UserInterruptException | EndOfFileException e) {
                return null;
            }
            try {
                return Names.requireUser(typed);
            } catch (ValidationException e) {
                say(reader, new Failures(texts).explain(e).message());
            }
        }
    }

    /** Prints {@code text} above the line being typed, leaving that line intact. */
    static void say(LineReader reader, String text) {
        reader.printAbove(text);
    }

    /** {@code names} as a list for people, or "nobody" in the user's language. */
    static String list(Collection<String> names, Texts texts) {
        if (names.isEmpty()) {
            return texts.get("list.nobody");
        }
        return names.stream().sorted().map(MessageLines::name).collect(Collectors.joining(", "));
    }
}
