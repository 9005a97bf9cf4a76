package io.cartero.broker.redis;

import io.cartero.message.Kind;
import io.cartero.message.Message;
import java.util.ArrayList;
import java.util.List;

/** Turns what the room scripts return into messages. Stateless. */
final class Entries {
    private Entries() {
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
