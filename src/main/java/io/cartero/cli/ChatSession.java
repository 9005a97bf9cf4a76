package io.cartero.cli;

import io.cartero.broker.Broker;
import io.cartero.broker.BrokerException;
import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.RoomInfo;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Subscription;
import io.cartero.message.ErrorCode;
import io.cartero.message.Message;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;

/**
 * One person's chat on one connection: reads lines and commands, and prints the rooms'
 * messages above the line being typed. Ctrl+C drops the line, Ctrl+D leaves, errors are printed
 * and the loop goes on; a lost connection ends it with exit code 3.
 *
 * <p>The rooms and the current room belong to the reading thread; listeners only print.
 */
final class ChatSession {
    /** How many messages of a room's history are shown on joining it. */
    static final int JOIN_BACKLOG = 20;

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

    private boolean isOver() {
        return lost.get() != null || context.stop().isStopped();
    }

    private int end() {
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
            lost.compareAndSet(null, e);
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

    private void send(String text) throws InterruptedException {
        if (current == null) {
            say(texts.get("chat.no_room"));
            return;
        }
        Replies.await(broker.rooms().publish(Publish.chat(current, name, text)));
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
            text.append('\n').append(texts.get("chat.rooms_line", mark, room.name(),
                    room.members(), room.lastOffset()));
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
