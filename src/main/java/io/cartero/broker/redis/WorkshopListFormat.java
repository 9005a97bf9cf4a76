package io.cartero.broker.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartero.message.QueueMessage;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON of the original workshop's Python programs, as they pushed it onto the lists
 * {@code chat_simple} and {@code chat_distribuido}:
 * {@code {"usuario": "...", "mensaje": "...", "tiempo": "HH:MM:SS", "ip_origen": "..."}}
 * ({@code ip_origen} only in the network version; an older variant named the time
 * {@code hora}). Written raw UTF-8, with all three required keys always present, since the
 * old receiver fails on a missing one. Stateless and thread-safe.
 */
final class WorkshopListFormat {
    private static final Logger LOG = LoggerFactory.getLogger(WorkshopListFormat.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** Entries longer than this are set aside unread. */
    static final int MAX_ENTRY_CHARS = 64 * 1024;

    private final ZoneId zone;
    /** This machine's LAN IPv4 address, written as {@code ip_origen}; found once. */
    private final String origin;

    WorkshopListFormat(ZoneId zone, String origin) {
        this.zone = zone;
        this.origin = origin;
    }

    /** The format in the system's zone, naming this machine's LAN address as the origin. */
    static WorkshopListFormat local() {
        return new WorkshopListFormat(ZoneId.systemDefault(), lanIpv4());
    }

    /** The workshop JSON of {@code message}. */
    String encode(QueueMessage message) {
        ObjectNode node = JSON.createObjectNode()
                .put("usuario", message.sender())
                .put("mensaje", message.text())
                .put("tiempo", TIME.format(Instant.ofEpochMilli(message.sentAt()).atZone(zone)))
                .put("ip_origen", origin);
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write workshop JSON", e);
        }
    }

    /**
     * The message in {@code value}: the sender is {@code usuario}, followed by
     * {@code (ip_origen)} when there is one; the time of day becomes today at that time.
     *
     * @throws MalformedEntry saying what is wrong with it
     */
    QueueMessage decode(String queue, String value) {
        if (value.length() > MAX_ENTRY_CHARS) {
            throw new MalformedEntry("longer than " + MAX_ENTRY_CHARS + " characters");
        }
        JsonNode node = parse(value);
        String user = requireText(node, "usuario");
        String text = requireText(node, "mensaje");
        boolean older = node.has("hora") && !node.has("tiempo");
        String time = requireText(node, older ? "hora" : "tiempo");
        Optional<String> ip = optionalText(node, "ip_origen");
        String sender = ip.map(address -> user + " (" + address + ")").orElse(user);
        return new QueueMessage(queue, sender, text, today(time));
    }

    private static JsonNode parse(String value) {
        try {
            JsonNode node = JSON.readTree(value);
            if (node == null || !node.isObject()) {
                throw new MalformedEntry("not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedEntry("not JSON");
        }
    }

    private static String requireText(JsonNode node, String key) {
        JsonNode field = node.get(key);
        if (field == null) {
            throw new MalformedEntry("no \"" + key + "\"");
        }
        if (!field.isTextual()) {
            throw new MalformedEntry("\"" + key + "\" is not a string");
        }
        return field.asText();
    }

    private static Optional<String> optionalText(JsonNode node, String key) {
        JsonNode field = node.get(key);
        return field != null && field.isTextual() ? Optional.of(field.asText()) : Optional.empty();
    }

    private long today(String time) {
        try {
            LocalTime at = LocalTime.parse(time.strip());
            return LocalDate.now(zone).atTime(at).atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new MalformedEntry("time \"" + time + "\" is not HH:MM:SS");
        }
    }

    /** The first site-local IPv4 address of an interface that is up, else any other one. */
    static String lanIpv4() {
        String fallback = "127.0.0.1";
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                        if (address.isSiteLocalAddress()) {
                            return address.getHostAddress();
                        }
                        fallback = address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            LOG.warn("cannot list network interfaces reason={}", e.getMessage());
        }
        return fallback;
    }

    /** Why an entry cannot be read as a message. */
    static final class MalformedEntry extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedEntry(String reason) {
            super(reason);
        }
    }
}
