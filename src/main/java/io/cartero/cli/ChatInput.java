package io.cartero.cli;

import java.util.Locale;
import java.util.Map;

/**
 * One line typed in the chat: a message, or a command in English or Spanish
 * ({@code /join} or {@code /unirse}...). A line that starts with {@code //} is a message that
 * starts with {@code /}.
 *
 * @param action what the line asks for
 * @param argument the message's text, or what follows the command word (stripped; may be
 *     empty)
 */
record ChatInput(Action action, String argument) {

    /** What a line asks for. */
    enum Action {
        SEND, JOIN, LEAVE, ROOMS, WHO, HISTORY, HELP, QUIT, UNKNOWN, NOTHING
    }

    private static final Map<String, Action> COMMANDS = Map.ofEntries(
            Map.entry("/join", Action.JOIN),
            Map.entry("/unirse", Action.JOIN),
            Map.entry("/leave", Action.LEAVE),
            Map.entry("/salir", Action.LEAVE),
            Map.entry("/rooms", Action.ROOMS),
            Map.entry("/salas", Action.ROOMS),
            Map.entry("/who", Action.WHO),
            Map.entry("/quien", Action.WHO),
            Map.entry("/quién", Action.WHO),
            Map.entry("/history", Action.HISTORY),
            Map.entry("/historial", Action.HISTORY),
            Map.entry("/help", Action.HELP),
            Map.entry("/ayuda", Action.HELP),
            Map.entry("/?", Action.HELP),
            Map.entry("/quit", Action.QUIT),
            Map.entry("/exit", Action.QUIT),
            Map.entry("/adios", Action.QUIT),
            Map.entry("/adiós", Action.QUIT));

    /** What {@code line} asks for; spaces before a command are forgiven. */
    static ChatInput parse(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return new ChatInput(Action.NOTHING, "");
        }
        if (trimmed.startsWith("//")) {
            return new ChatInput(Action.SEND, trimmed.substring(1));
        }
        if (!trimmed.startsWith("/")) {
            return new ChatInput(Action.SEND, line);
        }
        String[] parts = trimmed.split("\\s+", 2);
        String word = parts[0].toLowerCase(Locale.ROOT);
        String argument = parts.length > 1 ? parts[1] : "";
        Action action = COMMANDS.get(word);
        return action == null
                ? new ChatInput(Action.UNKNOWN, word)
                : new ChatInput(action, argument);
    }
}
