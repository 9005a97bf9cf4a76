package io.cartero.cli;

import io.cartero.broker.Broker;
import io.cartero.message.Names;
import java.io.IOException;
import java.util.concurrent.Callable;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cartero chat}: an interactive chat in the terminal. Messages from others appear above
 * the line being typed, which stays intact. Works on a dumb terminal too (standard input
 * piped), so that it can be driven by scripts and tests.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false)
final class ChatCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    private ServerOption server;

    @Option(names = {"-n", "--name"}, paramLabel = "${bundle:label.name:-NAME}",
            descriptionKey = "name")
    private String name;

    @Option(names = {"-r", "--room"}, paramLabel = "${bundle:label.room:-ROOM}",
            defaultValue = Target.DEFAULT_ROOM, descriptionKey = "first_room")
    private String room;

    ChatCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        server.isDirect();
        Names.requireRoom(room);
        if (name != null) {
            Names.requireUser(name);
        }
        server.discover(context);
        try (Terminal terminal = context.openTerminal()) {
            LineReader reader = Prompts.lineReader(terminal);
            String sender = name != null ? name : Prompts.askName(reader, context.texts());
            if (sender == null) {
                return ExitCodes.OK;
            }
            try (Broker broker = server.open(context, sender, entry -> { })) {
                return new ChatSession(broker, sender, reader, context).run(room);
            }
        }
    }
}
