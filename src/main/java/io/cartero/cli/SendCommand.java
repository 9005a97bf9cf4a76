package io.cartero.cli;

import io.cartero.broker.Broker;
import io.cartero.broker.Publish;
import io.cartero.broker.RoomInfo;
import io.cartero.message.ErrorCode;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cartero send}: a producer. One message with {@code -m}; one message per line when
 * standard input is a pipe; otherwise a prompt, like the workshop's sender.
 */
@Command(name = "send", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false)
final class SendCommand implements Callable<Integer> {
    private static final Set<String> QUIT_WORDS = Set.of("salir", "exit", "quit");
    private static final Set<String> STATUS_WORDS = Set.of("estado", "status");

    /** How many times a line refused for the rate is sent, and the pause between. */
    private static final int RATE_RETRIES = 50;
    private static final Duration RATE_PAUSE = Duration.ofMillis(200);

    private final CliContext context;
    private final Texts texts;
    private final Failures failures;

    @Mixin
    private ServerOption server;

    @Option(names = {"-n", "--name"}, paramLabel = "${bundle:label.name:-NAME}",
            descriptionKey = "name")
    private String name;

    @ArgGroup(exclusive = true)
    private Target target;

    @Option(names = {"-m", "--message"}, paramLabel = "${bundle:label.text:-TEXT}",
            descriptionKey = "message")
    private String text;

    SendCommand(CliContext context) {
        this.context = context;
        this.texts = context.texts();
        this.failures = new Failures(texts);
    }

    @Override
    public Integer call() throws Exception {
        server.isDirect();
        Target to = Target.orDefault(target);
        Names.requireRoom(to.name());
        if (name != null) {
            Names.requireUser(name);
        }
        if (text != null) {
            Names.requireText(text);
        }
        boolean asks = context.interactive() && (text == null || name == null);
        String sender = asks ? null : requireName();
        server.discover(context);

        if (asks) {
            return interactive(to);
        }
        try (Broker broker = server.open(context, sender, entry -> { })) {
            return text != null ? sendOne(broker, to, sender) : sendLines(broker, to, sender);
        }
    }

    private String requireName() {
        if (name == null) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.name_required");
        }
        return name;
    }

    private int sendOne(Broker broker, Target to, String sender) throws InterruptedException {
        deliver(broker, to, sender, text);
        return ExitCodes.OK;
    }

    /** One message per non-blank line; a refused line is reported and the next one sent. */
    private int sendLines(Broker broker, Target to, String sender)
            throws IOException, InterruptedException {
        BufferedReader lines = context.lines();
        int number = 0;
        int sent = 0;
        int refused = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                deliver(broker, to, sender, line);
                sent++;
            } catch (ValidationException e) {
                refused++;
                context.err().println(texts.get("send.line_refused", number,
                        failures.explain(e).message()));
            }
        }

        if (sent + refused == 0) {
            throw new CommandException(ExitCodes.REFUSED, "send.nothing_to_send");
        }
        return refused == 0 ? ExitCodes.OK : ExitCodes.REFUSED;
    }

    /**
     * Sends one line; a line the node refuses for the rate is sent again after a pause, up to
     * {@link #RATE_RETRIES} times, so that a long file piped in loses none.
     */
    private static void deliver(Broker broker, Target to, String sender, String line)
            throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                deliverOnce(broker, to, sender, line);
                return;
            } catch (ValidationException e) {
                if (e.code() != ErrorCode.RATE_LIMITED || attempt >= RATE_RETRIES) {
                    throw e;
                }
                Thread.sleep(RATE_PAUSE.toMillis());
            }
        }
    }

    private static void deliverOnce(Broker broker, Target to, String sender, String line)
            throws InterruptedException {
        Names.requireText(line);
        if (to.isQueue()) {
            Replies.await(broker.queues().push(to.name(), sender, line));
        } else {
            Replies.await(broker.rooms().publish(Publish.chat(to.name(), sender, line)));
        }
    }

    private int interactive(Target to) throws IOException, InterruptedException {
        try (Terminal terminal = context.openTerminal()) {
            LineReader reader = Prompts.lineReader(terminal);
            String sender = name != null ? name : Prompts.askName(reader, texts);
            if (sender == null) {
                return ExitCodes.OK;
            }
            try (Broker broker = server.open(context, sender, entry -> { })) {
                if (text != null) {
                    return sendOne(broker, to, sender);
                }
                Prompts.say(reader, texts.get("send.welcome", broker.describe(), to.name()));
                return prompt(reader, broker, to, sender);
            }
        }
    }

    /** The workshop's loop: each line is a message; salir/exit leaves, estado/status tells. */
    private int prompt(LineReader reader, Broker broker, Target to, String sender)
            throws InterruptedException {
        String prompt = texts.get("send.prompt", sender, to.name());
        while (true) {
            String line;
            try {
                line = reader.readLine(prompt);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                return ExitCodes.OK;
            }
            String word = line.strip().toLowerCase(Locale.ROOT);
            if (QUIT_WORDS.contains(word)) {
                return ExitCodes.OK;
            }
            if (STATUS_WORDS.contains(word)) {
                Prompts.say(reader, status(broker, to));
            } else if (!line.isBlank()) {
                tryDeliver(reader, broker, to, sender, line);
            }
        }
    }

    private void tryDeliver(LineReader reader, Broker broker, Target to, String sender,
            String line) throws InterruptedException {
        try {
            deliver(broker, to, sender, line);
        } catch (ValidationException e) {
            Prompts.say(reader, failures.explain(e).message());
        }
    }

    /** What waits in the queue, or the room's last offset and members. */
    private String status(Broker broker, Target to) throws InterruptedException {
        if (to.isQueue()) {
            long depth = Replies.await(broker.queues().depth(to.name()));
            return texts.get("send.status_queue", to.name(), depth);
        }

        long lastOffset = Replies.await(broker.rooms().list()).stream()
                .filter(room -> room.name().equals(to.name()))
                .mapToLong(RoomInfo::lastOffset)
                .findFirst()
                .orElse(0L);
        Set<String> members = Replies.await(broker.presence().members(to.name()));
        return texts.get("send.status_room", to.name(), lastOffset, Prompts.list(members, texts));
    }
}
