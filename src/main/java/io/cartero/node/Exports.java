package io.cartero.node;

import io.cartero.broker.Broker;
import io.cartero.message.Message;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import io.cartero.protocol.DirectRooms;
import io.cartero.protocol.Frame;
import io.cartero.protocol.FrameCodec;
import io.cartero.protocol.Picture;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports over HTTP, for people who take the class's figures to a spreadsheet: a room's
 * transcript ({@code GET /export/rooms/NAME.json} or {@code .csv}) and the broker view's
 * statistics ({@code GET /export/view.json} or {@code .csv}). They follow the node's access
 * rules, as the page and {@code /ws} do; direct conversations are never exported. CSV is RFC
 * 4180 (a header line, fields quoted when needed, CRLF), UTF-8, and a text field that starts
 * with {@code = + - @} gets a leading {@code '} so that a spreadsheet never runs it as a formula.
 */
final class Exports {
    private static final Logger LOG = LoggerFactory.getLogger(Exports.class);
    /** Messages in a transcript when {@code limit} does not say. */
    static final int DEFAULT_LIMIT = 1_000;
    /** The most messages in one transcript. */
    static final int MAX_LIMIT = 10_000;
    private static final String CSV = "text/csv; charset=utf-8";
    private static final String JSON = "application/json; charset=utf-8";

    private final Broker broker;
    private final BrokerView view;
    private final FrameCodec codec;
    private final Admission admission;

    Exports(Broker broker, BrokerView view, FrameCodec codec, Admission admission) {
        this.broker = broker;
        this.view = view;
        this.codec = codec;
        this.admission = admission;
    }

    /**
     * Whether the request may read what the node holds: always when the node asks for no
     * password or token, else only with the right one in the {@code token} parameter, counted
     * against the address's wrong attempts as a WebSocket upgrade's is. Answers 401 or 429
     * otherwise.
     */
    private boolean admitted(Context ctx) {
        if (!admission.required()) {
            return true;
        }
        String address = ctx.ip();
        long now = System.nanoTime();
        Admission.Verdict verdict = admission.check(address, ctx.queryParam("token"), now);
        if (verdict == Admission.Verdict.ADMITTED) {
            return true;
        }
        if (verdict == Admission.Verdict.WAIT) {
            long seconds = admission.secondsToWait(address, now);
            LOG.warn("export refused, too many attempts remote={} path={} wait_s={}", address,
                    ctx.path(), seconds);
            ctx.status(429).result("too many wrong passwords or tokens from your address; wait "
                    + seconds + " s");
            return false;
        }
        LOG.warn("export refused, wrong or missing token remote={} path={} given={}", address,
                ctx.path(), ctx.queryParam("token") != null);
        ctx.status(401).result("this node needs its password or token: add ?token=... to the "
                + "address, or open the export from the broker view");
        return false;
    }

    void configure(JavalinConfig config) {
        config.routes.get("/export/rooms/{file}", this::transcript);
        config.routes.get("/export/{file}", this::statistics);
    }

    private void transcript(Context ctx) {
        if (!admitted(ctx)) {
            return;
        }
        String file = ctx.pathParam("file");
        String format = format(file);
        String room = format == null ? null : file.substring(0, file.lastIndexOf('.'));
        if (format == null) {
            ctx.status(404).result("ask for NAME.json or NAME.csv");
            return;
        }
        try {
            Names.requireRoom(room);
        } catch (ValidationException e) {
            ctx.status(400).result(e.getMessage());
            return;
        }
        if (DirectRooms.isReserved(room)) {
            ctx.status(403).result("direct conversations are never exported");
            return;
        }
        Integer limit = limit(ctx);
        if (limit == null) {
            return;
        }
        ctx.header("Content-Disposition", "attachment; filename=\"cartero-" + room + "."
                + format + "\"");
        ctx.future(() -> newest(room, Long.MAX_VALUE, limit, new ArrayList<>())
                .handle((messages, failure) -> {
                    if (failure != null) {
                        ctx.status(503).result("the broker did not answer: " + failure);
                    } else if (format.equals("json")) {
                        ctx.contentType(JSON).result(codec.encode(
                                new Frame.HistoryPage(null, room, messages)));
                    } else {
                        ctx.contentType(CSV).result(transcriptCsv(messages));
                    }
                    return null;
                }));
    }

    private void statistics(Context ctx) {
        if (!admitted(ctx)) {
            return;
        }
        String file = ctx.pathParam("file");
        if (!file.equals("view.json") && !file.equals("view.csv")) {
            ctx.status(404).result("ask for view.json or view.csv");
            return;
        }
        ctx.header("Content-Disposition", "attachment; filename=\"cartero-" + file + "\"");
        ctx.future(() -> view.snapshot().handle((picture, failure) -> {
            if (failure != null) {
                ctx.status(503).result("the view could not be put together: " + failure);
            } else if (file.endsWith(".json")) {
                ctx.contentType(JSON).result(codec.encode(picture));
            } else {
                ctx.contentType(CSV).result(statisticsCsv(picture));
            }
            return null;
        }));
    }

    /** The room's newest {@code limit} messages, oldest first, paging backwards. */
    private CompletableFuture<List<Message>> newest(String room, long before, int limit,
            List<Message> newestFirst) {
        int page = Math.min(RoomRequests.MAX_HISTORY, limit - newestFirst.size());
        if (page <= 0) {
            return CompletableFuture.completedFuture(reversed(newestFirst));
        }
        return broker.rooms().history(room, before, page).thenCompose(messages -> {
            for (int i = messages.size() - 1; i >= 0; i--) {
                newestFirst.add(messages.get(i));
            }
            if (messages.size() < page || messages.get(0).offset() <= 1) {
                return CompletableFuture.completedFuture(reversed(newestFirst));
            }
            return newest(room, messages.get(0).offset(), limit, newestFirst);
        });
    }

    private static List<Message> reversed(List<Message> messages) {
        List<Message> copy = new ArrayList<>(messages);
        Collections.reverse(copy);
        return copy;
    }

    private static String format(String file) {
        if (file.endsWith(".json")) {
            return "json";
        }
        return file.endsWith(".csv") ? "csv" : null;
    }

    private static Integer limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Answered below, as a number out of range is.
        }
        ctx.status(400).result("limit must be a number from 1 to " + MAX_LIMIT + ": " + text);
        return null;
    }

    static String transcriptCsv(List<Message> messages) {
        StringBuilder csv = new StringBuilder("room,epoch,offset,sent_at,sender,kind,text\r\n");
        for (Message m : messages) {
            row(csv, m.room(), m.epoch(), m.offset(), Instant.ofEpochMilli(m.sentAt()),
                    m.sender(), m.kind().wireName(), m.text());
        }
        return csv.toString();
    }

    static String statisticsCsv(Frame.View view) {
        StringBuilder csv = new StringBuilder(
                "kind,name,from,to,total,rate,last_offset,people,depth,consumers\r\n");
        for (Picture.Edge e : view.edges()) {
            row(csv, "edge", "", e.from(), e.to(), e.total(), e.rate(), "", "", "", "");
        }
        for (Picture.RoomBox r : view.rooms()) {
            row(csv, "room", r.name(), "", "", "", "", r.lastOffset(), r.people(), "",
                    r.members().size());
        }
        for (Picture.QueueBox q : view.queues()) {
            row(csv, "queue", q.name(), "", "", "", "", "", "", q.depth(),
                    q.consumers().size());
        }
        for (Picture.Client c : view.connections()) {
            row(csv, "connection", c.name() == null ? c.id() : c.name(), "conn:" + c.id(), "",
                    "", "", "", "", "", String.join(" ", c.roles()));
        }
        return csv.toString();
    }

    private static void row(StringBuilder csv, Object... fields) {
        csv.append(Stream.of(fields).map(Exports::field).collect(Collectors.joining(",")))
                .append("\r\n");
    }

    /** One CSV field: quoted when it holds a comma, a quote or a line break. */
    static String field(Object value) {
        String text = String.valueOf(value);
        if (value instanceof String && !text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n")
                || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
