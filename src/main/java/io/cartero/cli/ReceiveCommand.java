package io.cartero.cli;

import io.cartero.broker.Broker;
import io.cartero.broker.BrokerException;
import io.cartero.broker.Position;
import io.cartero.broker.Resume;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Subscription;
import io.cartero.broker.Taken;
import io.cartero.broker.redis.SetAside;
import io.cartero.client.ConnectionState;
import io.cartero.client.NodeClient;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.message.Names;
import io.cartero.message.QueueMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cartero receive}: a consumer. Follows a room (every receiver gets every message) or
 * takes messages from a queue (each message goes to one receiver) until Ctrl+C, then says how
 * many it received. An anonymous session: it needs no name.
 *
 * <p>Through a node, a lost connection is told on standard error ("reconnecting…", then
 * "back") while the client reconnects by itself and resumes the room where it was; the
 * command ends only if the client gives up. With {@code --ack}, queue messages are taken under
 * a lease and confirmed after they are printed: at least once instead of at most once.
 */
@Command(name = "receive", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false)
final class ReceiveCommand implements Callable<Integer> {
    /** How long each pop waits for a message, so that Ctrl+C is noticed within it. */
    private static final Duration POP_WAIT = Duration.ofSeconds(1);
    /** How long a taken message is leased to this receiver before it goes back. */
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final CliContext context;
    private final Texts texts;
    private final MessageLines lines;
    /** Messages printed so far; written by the delivering thread, read at the end. */
    private final AtomicLong received = new AtomicLong();
    /** Why the connection ended, if it ended before the command was stopped. */
    private final AtomicReference<Throwable> lost = new AtomicReference<>();
    /** How the connection to a node stands; written by the client's state listener. */
    private volatile ConnectionState.Phase phase = ConnectionState.Phase.CONNECTED;

    @Mixin
    private ServerOption server;

    @ArgGroup(exclusive = true)
    private Target target;

    @Option(names = "--history", paramLabel = "N", descriptionKey = "history")
    private Integer history;

    @Option(names = "--json", descriptionKey = "json")
    private boolean json;

    @Option(names = "--ack", descriptionKey = "ack")
    private boolean ack;

    ReceiveCommand(CliContext context) {
        this.context = context;
        this.texts = context.texts();
        this.lines = new MessageLines(texts, context.zone());
    }

    @Override
    public Integer call() throws Exception {
        Target from = Target.orDefault(target);
        Names.requireRoom(from.name());
        Position start = startFrom(from);
        if (ack && !from.isQueue()) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.ack_room");
        }
        server.discover(context);
        context.trapInterrupt();
        try (Broker broker = server.open(context, null, this::setAside)) {
            if (broker instanceof NodeClient client) {
                client.onStateChange(this::connectionChanged);
            }
            int exitCode = receive(broker, from, start);
            context.err().println(texts.get("receive.count", received.get()));
            return exitCode;
        }
    }

    private Position startFrom(Target from) {
        if (history == null) {
            return Position.now();
        }
        if (from.isQueue()) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.history_queue");
        }
        return Position.last(history);
    }

    private int receive(Broker broker, Target from, Position start) throws InterruptedException {
        try {
            if (from.isQueue()) {
                takeFromQueue(broker, from.name());
            } else {
                followRoom(broker, from.name(), start);
            }
        } catch (BrokerException e) {
            lost.compareAndSet(null, e);
        }

        Throwable cause = lost.get();
        if (cause == null) {
            return ExitCodes.OK;
        }
        Failures.Failure failure = new Failures(texts).explain(cause);
        context.err().println(failure.message());
        return failure.exitCode();
    }

    private void takeFromQueue(Broker broker, String queue) throws InterruptedException {
        context.err().println(texts.get("receive.listening_queue", queue, broker.describe()));
        while (!context.stop().isStopped()) {
            try {
                takeOne(broker, queue);
            } catch (BrokerException e) {
                if (!(broker instanceof NodeClient) || phase == ConnectionState.Phase.GAVE_UP) {
                    throw e;
                }
                Thread.sleep(POP_WAIT.toMillis());
            }
        }
    }

    /** Pops one message and prints it; with --ack, takes it and confirms once printed. */
    private void takeOne(Broker broker, String queue) throws InterruptedException {
        if (!ack) {
            Replies.await(broker.queues().pop(queue, POP_WAIT)).ifPresent(this::print);
            return;
        }
        Optional<Taken> taken = Replies.await(broker.queues().take(queue, POP_WAIT, LEASE));
        if (taken.isPresent()) {
            print(taken.get().message());
            Replies.await(broker.queues().confirm(queue, taken.get().receipt()));
        }
    }

    /** Tells the person on standard error how the connection to the node stands. */
    private void connectionChanged(ConnectionState state) {
        phase = state.phase();
        String line = lines.connectionState(state);
        if (line != null) {
            context.err().println(line);
        }
    }

    private void followRoom(Broker broker, String room, Position start)
            throws InterruptedException {
        try (Subscription subscription =
                Replies.await(broker.rooms().subscribe(room, start, new Printer()))) {
            context.err().println(texts.get("receive.listening_room", room, broker.describe()));
            if (subscription.resume().status() == Resume.Status.LOST) {
                historyLost(room);
            }
            context.stop().awaitStop();
        }
    }

    private void print(QueueMessage message) {
        received.incrementAndGet();
        write(json ? lines.json(message) : lines.human(message));
    }

    private void print(Message message) {
        if (message.kind() != Kind.JOIN && message.kind() != Kind.LEAVE) {
            received.incrementAndGet();
        }
        write(json ? lines.json(message) : lines.human(message));
    }

    /** Says that a malformed entry was set aside, on standard error so output stays clean. */
    private void setAside(SetAside entry) {
        context.err().println(texts.get("receive.set_aside", entry.queue(), entry.deadLetters(),
                entry.reason()));
    }

    /** Writes one line; stops when nobody reads any more (the pipe was closed, as by head). */
    private void write(String line) {
        context.out().println(line);
        if (context.out().checkError()) {
            context.stop().stop();
        }
    }

    /** Says that history was lost: on standard error with --json, so that output stays JSON. */
    private void historyLost(String room) {
        (json ? context.err() : context.out()).println(texts.get("notice.history_lost", room));
    }

    /** Prints a room's messages as they arrive; ends the command if the connection is lost. */
    private final class Printer implements RoomListener {
        @Override
        public void onMessage(Message message) {
            print(message);
        }

        @Override
        public void onHistoryLost(String room, String epoch, long nextOffset) {
            historyLost(room);
        }

        @Override
        public void onEnd(Throwable cause) {
            if (!context.stop().isStopped()) {
                lost.compareAndSet(null, cause != null ? cause
                        : new BrokerException("subscription ended"));
                context.stop().stop();
            }
        }
    }
}
