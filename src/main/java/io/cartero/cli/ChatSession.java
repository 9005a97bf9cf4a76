package io.cartero.cli;

import io.cartero.broker.Broker;
import io.cartero.broker.BrokerException;
import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.RoomInfo;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Subscription;
import io.cartero.client.ConnectionState;
import io.cartero.client.NodeClient;
import io.cartero.message.ErrorCode;
import io.cartero.message.Message;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;

/**
 * One person's chat on one connection: reads lines and commands, and prints the rooms'
 * messages above the line being typed. Ctrl+C drops the line, Ctrl+D leaves, errors are printed
 * and the loop goes on; a connection the client gave up ends it with exit code 3.
 *
 * <p>Through a node, a lost connection is told above the prompt ("reconnecting…", then
 * "back") while the client reconnects and resumes every room. Lines typed meanwhile wait,
 * at most {@link #MAX_UNSENT} of them (a line beyond is not sent, and the person is told
 * which), and go out once the connection is back, each with its idempotency key. Leaving
 * waits up to {@link #LEAVE_WAIT} for lines still on their way, then says how many were not
 * sent.
 *
 * <p>Lines go out in the order typed, each after the one before has its reply. A line the
 * node refuses for the rate ({@code rate_limited}) is sent again, with the same key, after a
 * pause of {@link #RATE_PAUSE}, up to {@link #RATE_ATTEMPTS} times, so that a burst of typed or
 * pasted lines loses none.
 *
 * <p>The rooms and the current room belong to the reading thread; listeners only print.
 */
final class ChatSession {
    /** How many messages of a room's history are shown on joining it. */
    static final int JOIN_BACKLOG = 20;
    /** How many typed lines may wait for their reply (or for the connection) at once. */
    static final int MAX_UNSENT = 100;
    /** How long leaving waits for the lines still on their way (not after Ctrl+C). */
    static final Duration LEAVE_WAIT = Duration.ofSeconds(5);
    /** How long a line refused for the rate waits before it is sent again. */
    static final Duration RATE_PAUSE = Duration.ofMillis(200);
    /** How many times a line refused for the rate is sent before the person is told. */
    static final int RATE_ATTEMPTS = 50;

    private final Broker broker;
    private final String name;
    private final LineReader reader;
    private final CliContext context;
    private final Texts texts;
    private final MessageLines lines;
    private final Failures failures;

    /** The joined rooms, in joining order. Owned by the reading thread. */
    private final Map<String, Subscription> rooms = new LinkedHashMap<>();
    /** Where plain lines go: the room joined last or switched to. Owned by the reading thread. */
    private String current;
    /** Whether lines must name their room; written by the reading thread, read by listeners. */
    private volatile boolean severalRooms;
    /** Set once the session ends, so that the broker's closing is not taken for a loss. */
    private volatile boolean ending;
    /** Why the connection was lost, set by a listener. */
    private final AtomicReference<Throwable> lost = new AtomicReference<>();
    /** Lines published whose reply has not come yet; completed ones remove themselves. */
    private final Set<CompletableFuture<Message>> unsent = ConcurrentHashMap.newKeySet();
    /** The last line handed over; the next one goes out once it has its reply. Reading thread. */
    private CompletableFuture<Message> lastLine = CompletableFuture.completedFuture(null);
    /** How the connection to a node stands; written by the client's state listener. */
    private volatile ConnectionState.Phase phase = ConnectionState.Phase.CONNECTED;
    /** The thread that reads lines, interrupted to end the session from elsewhere. */
    private volatile Thread readingThread;

    ChatSession(Broker broker, String name, LineReader reader, CliContext context) {
        this.broker = broker;
        this.name = name;
        this.reader = reader;
        this.context = context;
        this.texts = context.texts();
        this.lines = new MessageLines(texts, context.zone());
        this.failures = new Failures(texts);
    }

    /** Joins {@code firstRoom}, then reads lines until the person leaves; the exit code. */
    int run(String firstRoom) {
        readingThread = Thread.currentThread();
        context.stop().onStop(this::interruptReading);
        say(texts.get("chat.welcome", broker.describe(), name));
        if (broker instanceof NodeClient client) {
            client.onStateChange(this::connectionChanged);
        }
        try {
            handle(new ChatInput(ChatInput.Action.JOIN, firstRoom));
            return isOver() ? end() : loop();
        } finally {
            ending = true;
        }
    }

    private int loop() {
        while (true) {
            String line;
            try {
                line = reader.readLine(prompt());
            } catch (UserInterruptException e) {
                if (isOver()) {
                    return end();
                }
                continue;
            } catch (EndOfFileException e) {
                return end();
            }
            if (!handle(ChatInput.parse(line)) || isOver()) {
                return end();
            }
        }
    }

    private void awaitUnsent() {
        long deadline = System.nanoTime() + LEAVE_WAIT.toNanos();
        for (CompletableFuture<Message> sending : List.copyOf(unsent)) {
            try {
                sending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                // a refused line was told when it failed
            } catch (TimeoutException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean isOver() {
        return lost.get() != null || context.stop().isStopped();
    }

    private int end() {
        if (lost.get() == null && !context.stop().isStopped()) {
            awaitUnsent();
        }
        unsent.removeIf(CompletableFuture::isDone);
        if (!unsent.isEmpty()) {
            say(texts.get("chat.unsent_on_exit", unsent.size()));
        }
        Throwable cause = lost.get();
        if (cause == null) {
            return ExitCodes.OK;
        }
        Failures.Failure failure = failures.explain(cause);
        say(failure.message());
        return failure.exitCode();
    }

    /** Does what {@code input} asks; false when it asks to quit. */
    private boolean handle(ChatInput input) {
        try {
            return act(input);
        } catch (ValidationException | CommandException e) {
            say(failures.explain(e).message());
        } catch (BrokerException e) {
            if (broker instanceof NodeClient && phase != ConnectionState.Phase.GAVE_UP) {
                say(texts.get("chat.not_connected"));
            } else {
                lost.compareAndSet(null, e);
            }
        } catch (InterruptedException e) {
            // Interrupted to end the session: the loop sees why and ends.
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private boolean act(ChatInput input) throws InterruptedException {
        String argument = input.argument();
        switch (input.action()) {
            case SEND -> send(argument);
            case JOIN -> join(argument);
            case LEAVE -> leave(argument.isEmpty() ? current : argument);
            case ROOMS -> listRooms();
            case WHO -> who(argument.isEmpty() ? current : argument);
            case HISTORY -> history(argument);
            case HELP -> say(texts.get("chat.help"));
            case UNKNOWN -> say(texts.get("chat.unknown_command", argument));
            case QUIT -> {
                return false;
            }
            default -> {
                return true;
            }
        }
        return true;
    }

    /**
     * Publishes a line without waiting for its reply, so that typing goes on while the
     * connection is down; a refusal is told when it comes.
     */
    private void send(String text) {
        if (current == null) {
            say(texts.get("chat.no_room"));
            return;
        }
        Names.requireText(text);
        unsent.removeIf(CompletableFuture::isDone);
        if (unsent.size() >= MAX_UNSENT) {
            say(texts.get("chat.not_sent_full", unsent.size(), text));
            return;
        }
        Publish line = Publish.chat(current, name, text).withKey(UUID.randomUUID().toString());
        CompletableFuture<Message> sent = lastLine.isDone() ? publish(line, 1)
                : lastLine.handle((previous, error) -> line).thenCompose(l -> publish(l, 1));
        lastLine = sent;
        unsent.add(sent);
        if (phase == ConnectionState.Phase.RECONNECTING) {
            say(texts.get("chat.sent_when_back"));
        }
        sent.whenComplete((message, error) -> {
            unsent.remove(sent);
            if (error != null && !ending) {
                refused(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            }
        });
    }

    /**
     * Publishes {@code line}; refused for the rate, publishes it again after a pause, until
     * {@link #RATE_ATTEMPTS} attempts. Its key makes a repeat store nothing new.
     */
    private CompletableFuture<Message> publish(Publish line, int attempt) {
        return broker.rooms().publish(line).handle((message, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(message);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            boolean again = cause instanceof ValidationException refusal
                    && refusal.code() == ErrorCode.RATE_LIMITED && attempt < RATE_ATTEMPTS
                    && !ending;
            if (!again) {
                return CompletableFuture.<Message>failedFuture(cause);
            }
            Executor later = CompletableFuture.delayedExecutor(RATE_PAUSE.toMillis(),
                    TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> line, later)
                    .thenCompose(same -> publish(same, attempt + 1));
        }).thenCompose(Function.identity());
    }

    /** Tells why a line was not sent, unless the session is ending because the link is. */
    private void refused(Throwable error) {
        if (phase != ConnectionState.Phase.GAVE_UP) {
            say(failures.explain(error).message());
        }
    }

    /** Tells the person above the prompt how the connection to the node stands. */
    private void connectionChanged(ConnectionState state) {
        phase = state.phase();
        String line = lines.connectionState(state);
        if (line != null) {
            say(line);
        }
    }

    private void join(String room) throws InterruptedException {
        if (room.isEmpty()) {
            say(texts.get("chat.join_which"));
            return;
        }
        Names.requireRoom(room);
        if (!rooms.containsKey(room)) {
            subscribe(room);
        }
        current = room;
        say(texts.get("chat.now_in", room));
    }

    private void subscribe(String room) throws InterruptedException {
        Subscription subscription = Replies.await(broker.rooms()
                .subscribe(room, Position.last(JOIN_BACKLOG), new Printer()));
        try {
            Replies.await(broker.presence().join(room, name));
        } catch (RuntimeException e) {
            subscription.close();
            throw e;
        }
        rooms.put(room, subscription);
        severalRooms = rooms.size() > 1;
    }

    private void leave(String room) throws InterruptedException {
        if (room == null || !rooms.containsKey(room)) {
            throw new ValidationException(ErrorCode.NOT_JOINED, "not in room " + room);
        }
        Replies.await(broker.presence().leave(room, name));
        rooms.remove(room).close();
        severalRooms = rooms.size() > 1;

        if (room.equals(current)) {
            current = lastJoined();
        }
        say(current == null
                ? texts.get("chat.left_last", room)
                : texts.get("chat.left", room, current));
    }

    private String lastJoined() {
        List<String> joined = new ArrayList<>(rooms.keySet());
        return joined.isEmpty() ? null : joined.get(joined.size() - 1);
    }

    private void listRooms() throws InterruptedException {
        List<RoomInfo> all = Replies.await(broker.rooms().list());
        if (all.isEmpty()) {
            say(texts.get("chat.rooms_none"));
            return;
        }

        StringBuilder text = new StringBuilder(texts.get("chat.rooms_heading"));
        for (RoomInfo room : all) {
            String mark = rooms.containsKey(room.name()) ? "*" : " ";
            text.append('\n').append(texts.get("chat.rooms_line", mark,
                    MessageLines.name(room.name()), room.members(), room.lastOffset()));
        }
        say(text.toString());
    }

    private void who(String room) throws InterruptedException {
        if (room == null) {
            say(texts.get("chat.no_room"));
            return;
        }
        Names.requireRoom(room);
        Set<String> members = Replies.await(broker.presence().members(room));
        say(texts.get("chat.who", room, Prompts.list(members, texts)));
    }

    private void history(String argument) throws InterruptedException {
        if (current == null) {
            say(texts.get("chat.no_room"));
            return;
        }
        int count = argument.isEmpty() ? JOIN_BACKLOG : count(argument);
        List<Message> messages = Replies.await(
                broker.rooms().history(current, Long.MAX_VALUE, count));

        if (messages.isEmpty()) {
            say(texts.get("chat.history_empty", current));
        }
        messages.forEach(message -> say(lines.human(message)));
    }

    private static int count(String argument) {
        int count;
        try {
            count = Integer.parseInt(argument);
        } catch (NumberFormatException e) {
            count = 0;
        }
        if (count < 1) {
            throw new CommandException(ExitCodes.REFUSED, "chat.bad_count", argument);
        }
        return count;
    }

    private String prompt() {
        return current == null ? "> " : current + "> ";
    }

    private void say(String text) {
        Prompts.say(reader, text);
    }

    private void interruptReading() {
        Thread thread = readingThread;
        if (thread != null && !ending) {
            thread.interrupt();
        }
    }

    /** Prints one room's messages; a subscription that ends by itself means a lost link. */
    private final class Printer implements RoomListener {
        @Override
        public void onMessage(Message message) {
            say(severalRooms ? lines.humanWithRoom(message) : lines.human(message));
        }

        @Override
        public void onHistoryLost(String room, String epoch, long nextOffset) {
            say(texts.get("notice.history_lost", room));
        }

        @Override
        public void onEnd(Throwable cause) {
            if (ending) {
                return;
            }
            lost.compareAndSet(null, cause != null ? cause
                    : new BrokerException("subscription ended"));
            interruptReading();
        }
    }
}
