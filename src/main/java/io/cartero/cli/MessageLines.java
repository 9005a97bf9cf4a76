package io.cartero.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartero.client.ConnectionState;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.message.QueueMessage;
import io.cartero.message.VisibleText;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes messages as lines: for people ({@code [10:42:07] ana: hola}, in the user's language
 * and local time) or for scripts (one JSON object, with the protocol's snake_case fields).
 * Immutable and thread-safe.
 */
final class MessageLines {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Reconnect attempts between two reminders that the connection is still being sought. */
    private static final int REMIND_EVERY = 5;

    private final Texts texts;
    private final ZoneId zone;

    MessageLines(Texts texts, ZoneId zone) {
        this.texts = texts;
        this.zone = zone;
    }

    /** A room's message for people: a chat line, or a notice for join, leave and system. */
    String human(Message message) {
        String time = time(message.sentAt());
        return switch (message.kind()) {
            case CHAT -> texts.get("line.chat", time, name(message.sender()),
                    printable(message.text()));
            case JOIN -> texts.get("line.join", time, name(message.sender()),
                    name(message.room()));
            case LEAVE -> texts.get("line.leave", time, name(message.sender()),
                    name(message.room()));
            case SYSTEM -> texts.get("line.system", time, printable(message.text()));
        };
    }

    /** Like {@link #human(Message)}, naming the room of a chat line. */
    String humanWithRoom(Message message) {
        if (message.kind() != Kind.CHAT) {
            return human(message);
        }
        return texts.get("line.chat_in_room", time(message.sentAt()), name(message.sender()),
                printable(message.text()), name(message.room()));
    }

    /** A queue's message for people. */
    String human(QueueMessage message) {
        return texts.get("line.chat", time(message.sentAt()), name(message.sender()),
                printable(message.text()));
    }

    /** A room's message as one line of JSON. */
    String json(Message message) {
        ObjectNode node = JSON.createObjectNode()
                .put("room", message.room())
                .put("offset", message.offset())
                .put("epoch", message.epoch())
                .put("sender", message.sender())
                .put("text", message.text())
                .put("sent_at", message.sentAt())
                .put("kind", message.kind().wireName());
        return write(node);
    }

    /** A queue's message as one line of JSON; queue messages have no offset, epoch or kind. */
    String json(QueueMessage message) {
        ObjectNode node = JSON.createObjectNode()
                .put("queue", message.queue())
                .put("sender", message.sender())
                .put("text", message.text())
                .put("sent_at", message.sentAt());
        return write(node);
    }

    /** {@code millis} as local wall-clock time, {@code HH:mm:ss}. */
    String time(long millis) {
        return CLOCK.format(Instant.ofEpochMilli(millis).atZone(zone));
    }

    /** {@code text} made safe for a terminal, as {@link VisibleText#text} shows it. */
    static String printable(String text) {
        return VisibleText.text(text);
    }

    /** A name, a room or a queue made safe for a terminal, as {@link VisibleText#name}. */
    static String name(String value) {
        return VisibleText.name(value);
    }

    private static String write(ObjectNode node) {
        try {
            return VisibleText.json(JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The line that tells a person how the connection stands, or {@code null} when none is
     * needed: for the first connection, and for the attempts to reconnect between the first
     * and every fifth, so that a long outage does not fill the screen.
     */
    String connectionState(ConnectionState state) {
        switch (state.phase()) {
            case RECONNECTING:
                if (state.attempt() != 1 && state.attempt() % REMIND_EVERY != 0) {
                    return null;
                }
                return texts.get("notice.reconnecting", state.attempt(),
                        String.format(Locale.ROOT, "%.1f", state.delay().toMillis() / 1000.0));
            case BACK:
                return texts.get("notice.back");
            case GAVE_UP:
                return texts.get("notice.gave_up", state.reason());
            default:
                return null;
        }
    }
}
