package io.cartero.broker.redis;

import io.cartero.message.Kind;
import io.cartero.message.Message;
import java.util.ArrayList;
import java.util.List;

/** Turns what the room scripts return and publish into messages. Stateless. */
final class Entries {
    /** The fields before the text in a live message: room, epoch, offset, sender, kind, at. */
    private static final int HEAD_FIELDS = 6;

    private Entries() {
    }

    /** The room a live message (see {@link #live}) belongs to: its first line. */
    static String roomOf(String live) {
        int end = live.indexOf('\n');
        return end < 0 ? live : live.substring(0, end);
    }

    /**
     * A message as publish.lua publishes it: room, epoch, offset, sender, kind and sentAt, one
     * per line, then the text, which may hold newlines. {@code room} is the room already read
     * from it with {@link #roomOf}, so that every message of a room shares one name.
     *
     * @throws IllegalArgumentException if {@code live} is not such a message of {@code room}
     */
    static Message live(String room, String live) {
        int[] ends = new int[HEAD_FIELDS];
        int from = 0;
        for (int i = 0; i < HEAD_FIELDS; i++) {
            ends[i] = live.indexOf('\n', from);
            if (ends[i] < 0) {
                throw new IllegalArgumentException("a live message has " + i
                        + " lines before its text, not " + HEAD_FIELDS);
            }
            from = ends[i] + 1;
        }
        if (!live.regionMatches(0, room, 0, ends[0]) || room.length() != ends[0]) {
            throw new IllegalArgumentException("a live message of another room");
        }
        try {
            return new Message(room, Long.parseLong(live, ends[1] + 1, ends[2], 10),
                    live.substring(ends[0] + 1, ends[1]), live.substring(ends[2] + 1, ends[3]),
                    live.substring(ends[5] + 1),
                    Long.parseLong(live, ends[4] + 1, ends[5], 10),
                    Kind.fromWireName(live.substring(ends[3] + 1, ends[4])));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a live message with a bad field: "
                    + e.getMessage(), e);
        }
    }

    /** The reply of publish.lua: {offset, epoch, sender, text, kind, sentAt}. */
    static Message stored(String room, List<Object> reply) {
        return new Message(room, (Long) reply.get(0), (String) reply.get(1),
                (String) reply.get(2), (String) reply.get(3), (Long) reply.get(5),
                Kind.fromWireName((String) reply.get(4)));
    }

    /**
     * Stream entries as XRANGE returns them, {id, {field, value, ...}}, in the order given.
     */
    static List<Message> messages(String room, String epoch, Object entries) {
        List<?> list = (List<?>) entries;
        List<Message> messages = new ArrayList<>(list.size());
        for (Object each : list) {
            messages.add(message(room, epoch, (List<?>) each));
        }
        return messages;
    }

    private static Message message(String room, String epoch, List<?> entry) {
        String id = (String) entry.get(0);
        long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
        List<?> fields = (List<?>) entry.get(1);
        String sender = "";
        String text = "";
        String kind = Kind.CHAT.wireName();
        long sentAt = 0;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String value = (String) fields.get(i + 1);
            switch ((String) fields.get(i)) {
                case "s" -> sender = value;
                case "t" -> text = value;
                case "k" -> kind = value;
                case "at" -> sentAt = Long.parseLong(value);
                default -> { }
            }
        }
        return new Message(room, offset, epoch, sender, text, sentAt, Kind.fromWireName(kind));
    }
}
