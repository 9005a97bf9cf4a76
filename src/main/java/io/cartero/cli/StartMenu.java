package io.cartero.cli;

import io.cartero.cli.demo.Keyboard;
import io.cartero.cli.demo.Narrator;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What {@code cartero} with no command shows a person at a terminal: a short menu. Each choice
 * prints the command it runs, so that the menu teaches the commands, then runs it in this
 * process. A choice whose command this build lacks is not offered.
 */
final class StartMenu {
    /** Arguments that a shell takes as they are; others are shown in quotes. */
    private static final Pattern PLAIN = Pattern.compile("[\\p{L}\\p{N}@%+=:,./_-]+");

    private final CliContext context;
    private final Texts texts;
    private final Keyboard keyboard;
    private final Narrator narrator;
    private final List<Choice> choices;

    /**
     * A menu for {@code context}.
     *
     * @param commands the names of the subcommands this build has
     */
    StartMenu(CliContext context, Set<String> commands) {
        this.context = context;
        this.texts = context.texts();
        this.keyboard = new Keyboard(context.in(), context.charset());
        this.narrator = new Narrator(context.out(), context.charset(), texts::get);
        this.choices = Arrays.stream(Choice.values())
                .filter(choice -> choice.command == null || commands.contains(choice.command))
                .toList();
    }

    /** Shows the menu and runs what the person chooses; that command's exit code. */
    int run() {
        List<String> args = choose();
        if (args.isEmpty()) {
            return ExitCodes.OK;
        }
        narrator.paragraph("menu.runs", display(args));
        String[] line = args.toArray(String[]::new);
        if (context.system()) {
            LogLevels.apply(line, context.environment());
        }
        return Main.execute(context, line);
    }

    /**
     * Shows the menu and asks until the person chooses: the command line chosen, without the
     * program's name; empty to quit, or when the input ends.
     */
    List<String> choose() {
        narrator.paragraph("menu.title");
        narrator.say("menu.heading");
        for (int i = 0; i < choices.size(); i++) {
            narrator.say("menu.line", i + 1, texts.get(choices.get(i).key));
        }
        narrator.blank();
        narrator.paragraph("menu.hint", launcher());

        Choice choice = askChoice();
        return choice == null ? List.of() : argsFor(choice);
    }

    private Choice askChoice() {
        while (true) {
            String typed = ask("menu.choice", choices.size());
            if (typed == null) {
                return null;
            }
            int number = number(typed);
            if (number >= 1 && number <= choices.size()) {
                return choices.get(number - 1);
            }
            narrator.say("menu.bad_choice", choices.size());
        }
    }

    /** The number typed, or 0 for anything that is not one. */
    private static int number(String typed) {
        try {
            return Integer.parseInt(typed.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private List<String> argsFor(Choice choice) {
        return switch (choice) {
            case SERVER -> List.of("server");
            case DEMO -> List.of("demo");
            case CHAT -> chat();
            case DOCTOR -> withServer(List.of("doctor"), ask("menu.doctor_address"));
            case QUIT -> List.of();
        };
    }

    private List<String> chat() {
        String address = ask("menu.address");
        String name = address == null ? null : askName();
        if (name == null) {
            return List.of();
        }
        List<String> args = withServer(List.of("chat"), address);
        args.addAll(List.of("--name", name));
        return args;
    }

    private static List<String> withServer(List<String> command, String address) {
        List<String> args = new ArrayList<>(command);
        if (address != null && !address.isBlank()) {
            args.addAll(List.of("--server", address.strip()));
        }
        return args;
    }

    /** Asks for a user name until a valid one comes; {@code null} if the input ends. */
    private String askName() {
        while (true) {
            String typed = ask("prompt.name");
            if (typed == null) {
                return null;
            }
            try {
                return Names.requireUser(typed.strip());
            } catch (ValidationException e) {
                narrator.write(new Failures(texts).explain(e).message());
            }
        }
    }

    /** Asks the question at {@code key}; the line typed, or {@code null} at the input's end. */
    private String ask(String key, Object... args) {
        narrator.ask(key, args);
        try {
            String line = keyboard.readLine();
            if (line == null) {
                narrator.blank();
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code args} as the person would type them after the program's name. */
    private static String display(List<String> args) {
        return launcher() + " " + args.stream()
                .map(arg -> PLAIN.matcher(arg).matches() ? arg : "\"" + arg + "\"")
                .collect(Collectors.joining(" "));
    }

    private static String launcher() {
        return ServerCommand.launcher();
    }

    /** The menu's choices, in the order shown. */
    private enum Choice {
        SERVER("menu.server", "server"),
        CHAT("menu.chat", "chat"),
        DEMO("menu.demo", "demo"),
        DOCTOR("menu.doctor", "doctor"),
        QUIT("menu.quit", null);

        private final String key;
        /** The subcommand it runs; {@code null} for none. */
        private final String command;

        Choice(String key, String command) {
            this.key = key;
            this.command = command;
        }
    }
}
