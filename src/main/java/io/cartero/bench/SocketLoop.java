package io.cartero.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread of the load generator: a selector over its share of the connections. It reads
 * frames straight from a buffer it reuses, recognises the few it cares about by their first
 * bytes, writes send frames into another reused buffer and paces its publishers. Nothing is
 * allocated per message, and no lock or hand-off sits between a socket and its ledger.
 *
 * <p>Its ledgers and histograms belong to its thread; other threads read them only after
 * {@link #join}. The volatile fields are its only shared state while it runs.
 */
final class SocketLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SocketLoop.class);
    private static final int READ_BUFFER = 1 << 20;
    private static final int OUT_HEADROOM = 14;
    private static final long PING_EVERY = TimeUnit.SECONDS.toNanos(10);
    /**
     * Each socket pings every {@link #PING_EVERY}, a tenth of them at a time: people's clients
     * do not all ping at the same instant, and 10,000 pings at once would be a burst of work
     * for the node that no class makes.
     */
    private static final int PING_SLICES = 10;
    private static final long MAX_UNSENT = 8L << 20;
    private static final long HIGHEST_LATENCY = TimeUnit.MINUTES.toNanos(5);
    private static final byte[] TYPE_PREFIX = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID_FIELD = "\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CODE_FIELD = "\"code\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = "{\"type\":\"ping\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUBSCRIBER_HELLO =
            "{\"type\":\"hello\",\"id\":0}".getBytes(StandardCharsets.US_ASCII);
    private static final int OP_TEXT = 1;
    private static final int OP_CONTINUATION = 0;
    private static final int OP_CLOSE = 8;
    private static final int OP_PING = 9;
    private static final int OP_PONG = 10;

    private final Selector selector;
    private final Thread thread;
    private final long origin;
    private final int payload;
    private final long messages;
    private final boolean maxRate;
    private final long period;
    private final ConcurrentLinkedQueue<RawWebSocket> arriving = new ConcurrentLinkedQueue<>();
    private final List<RawWebSocket> sockets = new ArrayList<>();
    private final List<RawWebSocket> publishers = new ArrayList<>();
    private final ByteBuffer in = ByteBuffer.allocate(READ_BUFFER);
    private final byte[] out = new byte[OUT_HEADROOM + 2 * BenchPlan.MAX_PAYLOAD + 4096];
    private final ByteBuffer outBuffer = ByteBuffer.wrap(out);
    private final Stamps.Parsed parsed = new Stamps.Parsed();
    private final Histogram latency = new Histogram(HIGHEST_LATENCY, 3);
    private final Histogram ackLatency = new Histogram(HIGHEST_LATENCY, 3);
    private long maskSeed = System.nanoTime() | 1;
    private long windowDeliveries;
    private long windowAcks;
    private long nextPing;
    /** The slice of {@link #sockets} that pings next. */
    private int pingSlice;

    /** Set once by {@link #start}; null until the publishers may begin. */
    private volatile Schedule schedule;
    private volatile boolean closing;
    private volatile int readyCount;
    private volatile long progress;
    private volatile long unanswered;
    private volatile boolean publishersDone;
    private volatile Throwable failure;
    /** The first refusal of a hello or a join, for people; null while none. */
    private volatile String refusal;

    /**
     * @param origin when the run began, in {@link System#nanoTime} units: stamps count from it
     * @param publishersInRun every publisher of the run, for the pace of each one
     */
    SocketLoop(int index, long origin, BenchPlan plan, int publishersInRun) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.origin = origin;
        this.payload = plan.payload();
        this.messages = plan.messages();
        this.maxRate = plan.maxRate();
        this.period = plan.maxRate() ? 0 : TimeUnit.SECONDS.toNanos(1) * publishersInRun
                / plan.rate();
        this.thread = new Thread(this, "cartero-bench-io-" + index);
        this.thread.setDaemon(true);
    }

    /** When the publishers start, and the measured window, in nanoseconds since origin. */
    record Schedule(long start, long measureFrom, long measureUntil) {
    }

    void launch() {
        thread.start();
    }

    /** Hands {@code socket} to this loop, which says hello on it. Any thread. */
    void add(RawWebSocket socket) {
        arriving.add(socket);
        selector.wakeup();
    }

    /** Lets the publishers begin. Any thread. */
    void start(Schedule when) {
        schedule = when;
        selector.wakeup();
    }

    /** Closes every connection and ends the thread. Any thread. */
    void close() {
        closing = true;
        selector.wakeup();
    }

    void join() throws InterruptedException {
        thread.join();
    }

    int readyCount() {
        return readyCount;
    }

    /** Frames handled so far; grows while anything still arrives. */
    long progress() {
        return progress;
    }

    /** Messages sent and not yet answered. */
    long unanswered() {
        return unanswered;
    }

    boolean publishersDone() {
        return publishersDone;
    }

    Throwable failure() {
        return failure;
    }

    String refusal() {
        return refusal;
    }

    List<RawWebSocket> sockets() {
        return sockets;
    }

    Histogram latency() {
        return latency;
    }

    Histogram ackLatency() {
        return ackLatency;
    }

    long windowDeliveries() {
        return windowDeliveries;
    }

    long windowAcks() {
        return windowAcks;
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (Throwable t) {
            failure = t;
        } finally {
            closeAll();
        }
    }

    private void loop() throws IOException {
        nextPing = now() + PING_EVERY / PING_SLICES;
        long handled = 0;
        while (!closing) {
            registerArriving();
            long wait = publish(now());
            if (wait <= 0) {
                selector.selectNow();
            } else if (wait < TimeUnit.MILLISECONDS.toNanos(1)) {
                if (selector.selectNow() == 0) {
                    LockSupport.parkNanos(wait);
                }
            } else {
                selector.select(Math.min(TimeUnit.NANOSECONDS.toMillis(wait), 100));
            }
            handled += handleSelected();
            pingIfDue();
            progress = handled;
        }
    }

    private long now() {
        return System.nanoTime() - origin;
    }

    private void registerArriving() throws IOException {
        RawWebSocket socket;
        while ((socket = arriving.poll()) != null) {
            socket.key = socket.channel.register(selector, SelectionKey.OP_READ, socket);
            sockets.add(socket);
            if (socket.role == RawWebSocket.Role.PUBLISHER) {
                publishers.add(socket);
                sendText(socket, ("{\"type\":\"hello\",\"id\":0,\"name\":\"" + socket.name
                        + "\"}").getBytes(StandardCharsets.UTF_8));
            } else {
                sendText(socket, SUBSCRIBER_HELLO);
            }
        }
    }

    private int handleSelected() {
        int handled = 0;
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            RawWebSocket socket = (RawWebSocket) key.attachment();
            try {
                if (key.isValid() && key.isWritable()) {
                    flushUnsent(socket);
                }
                if (key.isValid() && key.isReadable()) {
                    handled += read(socket);
                }
            } catch (IOException e) {
                ended(socket, 1006);
            }
        }
        return handled;
    }

    // ---- publishing ----

    /**
     * Sends what is due, if the publishers may run.
     *
     * @return nanoseconds until the next message is due, or a long wait if none is
     */
    private long publish(long now) {
        Schedule when = schedule;
        if (when == null || now < when.start()) {
            return when == null ? Long.MAX_VALUE : when.start() - now;
        }
        long wait = Long.MAX_VALUE;
        boolean allDone = true;
        for (RawWebSocket p : publishers) {
            if (!p.done && (now >= when.measureUntil() || p.closed())) {
                p.done = true;
            }
            if (p.done) {
                continue;
            }
            allDone = false;
            if (maxRate) {
                if (!p.awaitingAck) {
                    sendNext(p, now);
                }
                continue;
            }
            if (p.nextDue == 0) {
                p.nextDue = when.start() + period * p.publisher.index()
                        / Math.max(1, publishers.size());
            }
            while (!p.done && p.nextDue <= now && backlog(p) < MAX_UNSENT) {
                sendNext(p, p.nextDue);
                p.nextDue += period;
            }
            wait = Math.min(wait, p.nextDue - now);
        }
        publishersDone = allDone;
        updateUnanswered();
        return wait;
    }

    private void sendNext(RawWebSocket p, long stamp) {
        PublishLedger ledger = p.publisher;
        long sequence = ledger.next(stamp);
        int at = OUT_HEADROOM;
        System.arraycopy(p.sendPrefix, 0, out, at, p.sendPrefix.length);
        at += p.sendPrefix.length;
        at = Stamps.writeDigits(out, at, sequence);
        at = put(",\"text\":\"", at);
        at = Stamps.write(out, at, ledger.index(), sequence, stamp, payload);
        out[at++] = '"';
        out[at++] = '}';
        sendFrame(p, OP_TEXT, at - OUT_HEADROOM);
        p.awaitingAck = true;
        if (messages > 0 && sequence >= messages) {
            p.done = true;
        }
    }

    private int put(String ascii, int at) {
        for (int i = 0; i < ascii.length(); i++) {
            out[at + i] = (byte) ascii.charAt(i);
        }
        return at + ascii.length();
    }

    private void updateUnanswered() {
        long total = 0;
        for (RawWebSocket p : publishers) {
            if (!p.closed()) {
                total += p.publisher.unanswered();
            }
        }
        unanswered = total;
    }

    private static long backlog(RawWebSocket socket) {
        return socket.unsent == null ? 0 : socket.unsent.position();
    }

    // ---- writing ----

    private void sendText(RawWebSocket socket, byte[] text) {
        System.arraycopy(text, 0, out, OUT_HEADROOM, text.length);
        sendFrame(socket, OP_TEXT, text.length);
    }

    /**
     * Frames and masks the {@code length} bytes at {@link #OUT_HEADROOM} of {@link #out} and
     * writes them, keeping what the socket does not take.
     */
    private void sendFrame(RawWebSocket socket, int opcode, int length) {
        if (socket.closed()) {
            return;
        }
        int headerLength = length < 126 ? 6 : 8;
        int start = OUT_HEADROOM - headerLength;
        out[start] = (byte) (0x80 | opcode);
        if (length < 126) {
            out[start + 1] = (byte) (0x80 | length);
        } else {
            out[start + 1] = (byte) (0x80 | 126);
            out[start + 2] = (byte) (length >>> 8);
            out[start + 3] = (byte) length;
        }
        int mask = nextMask();
        int maskAt = OUT_HEADROOM - 4;
        for (int i = 0; i < 4; i++) {
            out[maskAt + i] = (byte) (mask >>> (24 - 8 * i));
        }
        for (int i = 0; i < length; i++) {
            out[OUT_HEADROOM + i] ^= out[maskAt + (i & 3)];
        }
        write(socket, start, headerLength + length);
    }

    private int nextMask() {
        maskSeed ^= maskSeed << 13;
        maskSeed ^= maskSeed >>> 7;
        maskSeed ^= maskSeed << 17;
        return (int) maskSeed;
    }

    private void write(RawWebSocket socket, int from, int length) {
        try {
            if (backlog(socket) > 0) {
                keep(socket, from, length);
                return;
            }
            outBuffer.limit(from + length).position(from);
            socket.channel.write(outBuffer);
            if (outBuffer.hasRemaining()) {
                keep(socket, outBuffer.position(), outBuffer.remaining());
                socket.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            ended(socket, 1006);
        }
    }

    private void keep(RawWebSocket socket, int from, int length) {
        ByteBuffer unsent = socket.unsent;
        if (unsent == null || unsent.remaining() < length) {
            int needed = (unsent == null ? 0 : unsent.position()) + length;
            ByteBuffer larger = ByteBuffer.allocate(Math.max(64 * 1024, needed * 2));
            if (unsent != null) {
                unsent.flip();
                larger.put(unsent);
            }
            socket.unsent = larger;
            unsent = larger;
        }
        unsent.put(out, from, length);
    }

    private void flushUnsent(RawWebSocket socket) throws IOException {
        ByteBuffer unsent = socket.unsent;
        if (unsent == null) {
            socket.key.interestOps(SelectionKey.OP_READ);
            return;
        }
        unsent.flip();
        socket.channel.write(unsent);
        unsent.compact();
        if (unsent.position() == 0) {
            socket.key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void pingIfDue() {
        long now = now();
        if (now < nextPing) {
            return;
        }
        nextPing = now + PING_EVERY / PING_SLICES;
        for (int i = pingSlice; i < sockets.size(); i += PING_SLICES) {
            sendText(sockets.get(i), PING);
        }
        pingSlice = (pingSlice + 1) % PING_SLICES;
    }

    // ---- reading ----

    private int read(RawWebSocket socket) throws IOException {
        in.clear();
        ByteBuffer partial = socket.partial;
        if (partial != null && partial.position() > 0) {
            partial.flip();
            in.put(partial);
            partial.clear();
        }
        int read = socket.channel.read(in);
        in.flip();
        int frames = frames(socket);
        if (in.hasRemaining() && !socket.closed()) {
            keepPartial(socket);
        }
        if (read < 0 && !socket.closed()) {
            ended(socket, 1006);
        }
        return frames;
    }

    private void keepPartial(RawWebSocket socket) {
        ByteBuffer partial = socket.partial;
        if (partial == null || partial.capacity() < in.remaining()) {
            partial = ByteBuffer.allocate(Math.max(4096, in.remaining() * 2));
            socket.partial = partial;
        }
        partial.put(in);
    }

    /** Handles every whole frame in {@link #in}; leaves a cut one there. */
    private int frames(RawWebSocket socket) throws IOException {
        byte[] a = in.array();
        int frames = 0;
        while (in.remaining() >= 2 && !socket.closed()) {
            int p = in.position();
            int first = a[p] & 0xff;
            int second = a[p + 1] & 0xff;
            long length = second & 0x7f;
            int header = 2;
            if (length == 126) {
                if (in.remaining() < 4) {
                    break;
                }
                length = ((a[p + 2] & 0xff) << 8) | (a[p + 3] & 0xff);
                header = 4;
            } else if (length == 127) {
                if (in.remaining() < 10) {
                    break;
                }
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | (a[p + 2 + i] & 0xff);
                }
                header = 10;
            }
            if ((second & 0x80) != 0 || length > READ_BUFFER / 2) {
                throw new IOException("frame the generator cannot read from " + socket.where);
            }
            if (in.remaining() < header + length) {
                break;
            }
            int start = p + header;
            int end = start + (int) length;
            frame(socket, (first & 0x80) != 0, first & 0x0f, a, start, end);
            in.position(end);
            frames++;
        }
        return frames;
    }

    private void frame(RawWebSocket socket, boolean fin, int opcode, byte[] a, int from,
            int to) {
        switch (opcode) {
            case OP_TEXT, OP_CONTINUATION -> textPart(socket, fin, opcode, a, from, to);
            case OP_CLOSE -> ended(socket, to - from >= 2
                    ? ((a[from] & 0xff) << 8) | (a[from + 1] & 0xff) : 1005);
            case OP_PING -> {
                System.arraycopy(a, from, out, OUT_HEADROOM, to - from);
                sendFrame(socket, OP_PONG, to - from);
            }
            default -> {
                // Pongs and binary frames carry nothing the run counts.
            }
        }
    }

    private void textPart(RawWebSocket socket, boolean fin, int opcode, byte[] a, int from,
            int to) {
        if (fin && opcode == OP_TEXT) {
            text(socket, a, from, to);
            return;
        }
        ByteBuffer parts = socket.fragments;
        if (opcode == OP_TEXT || parts == null) {
            parts = ByteBuffer.allocate(Math.max(4096, 2 * (to - from)));
        } else if (parts.remaining() < to - from) {
            ByteBuffer larger = ByteBuffer.allocate(2 * (parts.position() + to - from));
            parts.flip();
            larger.put(parts);
            parts = larger;
        }
        parts.put(a, from, to - from);
        socket.fragments = parts;
        if (fin) {
            socket.fragments = null;
            text(socket, parts.array(), 0, parts.position());
        }
    }

    private void text(RawWebSocket socket, byte[] a, int from, int to) {
        byte type = startsWith(a, from, to, TYPE_PREFIX) ? a[from + TYPE_PREFIX.length] : 0;
        switch (socket.role) {
            case SUBSCRIBER -> subscriberText(socket, type, a, from, to);
            case PUBLISHER -> publisherText(socket, type, a, from, to);
            case IDLE -> {
                if (type == 'w') {
                    ready(socket);
                } else if (type == 'e') {
                    setupFailed(socket, a, from, to);
                }
            }
        }
    }

    private void subscriberText(RawWebSocket socket, byte type, byte[] a, int from, int to) {
        switch (type) {
            case 'm' -> delivered(socket, a, from, to);
            case 'w' -> join(socket);
            case 'j' -> ready(socket);
            case 'h' -> socket.ledger.historyLost();
            case 'e' -> setupFailed(socket, a, from, to);
            default -> {
                // Pongs and other replies carry nothing the run counts.
            }
        }
    }

    private void join(RawWebSocket socket) {
        socket.helloDone = true;
        String join = "{\"type\":\"join\",\"id\":1,\"room\":\""
                + BenchPlan.room(socket.ledger.room()) + "\"}";
        sendText(socket, join.getBytes(StandardCharsets.US_ASCII));
    }

    private void delivered(RawWebSocket socket, byte[] a, int from, int to) {
        if (!Stamps.readFrame(a, from, to, parsed)) {
            socket.ledger.foreign();
            return;
        }
        if (socket.ledger.record(parsed.publisher, parsed.sequence)) {
            long now = now();
            Schedule when = schedule;
            if (when != null && now >= when.measureFrom() && now < when.measureUntil()) {
                windowDeliveries++;
                latency.recordValue(Math.min(HIGHEST_LATENCY, Math.max(0, now - parsed.stamp)));
            }
        }
    }

    private void publisherText(RawWebSocket socket, byte type, byte[] a, int from, int to) {
        if (type == 'w') {
            ready(socket);
            return;
        }
        long id = readId(a, from, to);
        if (type == 'a' && id > 0) {
            acked(socket, id);
        } else if (type == 'e') {
            if (id > 0) {
                socket.publisher.failed(id);
                socket.awaitingAck = false;
            } else {
                setupFailed(socket, a, from, to);
            }
        }
    }

    private void acked(RawWebSocket socket, long sequence) {
        long stamp = socket.publisher.acked(sequence);
        if (stamp < 0) {
            return;
        }
        long now = now();
        Schedule when = schedule;
        if (when != null && now >= when.measureFrom() && now < when.measureUntil()) {
            windowAcks++;
            ackLatency.recordValue(Math.min(HIGHEST_LATENCY, Math.max(0, now - stamp)));
        }
        socket.awaitingAck = false;
        if (maxRate && !socket.done && when != null && now < when.measureUntil()) {
            sendNext(socket, now);
        }
    }

    private void ready(RawWebSocket socket) {
        if (!socket.ready) {
            socket.ready = true;
            readyCount++;
        }
    }

    private void setupFailed(RawWebSocket socket, byte[] a, int from, int to) {
        if (socket.ready) {
            return;
        }
        int at = Stamps.indexOf(a, from, to, CODE_FIELD);
        int end = at < 0 ? -1 : indexOfQuote(a, at + CODE_FIELD.length, to);
        socket.setupError = end < 0 ? "error"
                : new String(a, at + CODE_FIELD.length, end - at - CODE_FIELD.length,
                        StandardCharsets.UTF_8);
        if (refusal == null) {
            refusal = "the node at " + socket.where + " refused the "
                    + (socket.role == RawWebSocket.Role.SUBSCRIBER && socket.helloDone
                            ? "join" : "hello") + ": " + socket.setupError;
        }
    }

    private static int indexOfQuote(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == '"') {
                return i;
            }
        }
        return -1;
    }

    /** The integer after {@code "id":}, or -1. */
    private static long readId(byte[] a, int from, int to) {
        int at = Stamps.indexOf(a, from, to, ID_FIELD);
        if (at < 0) {
            return -1;
        }
        long id = 0;
        int i = at + ID_FIELD.length;
        int start = i;
        while (i < to && a[i] >= '0' && a[i] <= '9') {
            id = id * 10 + (a[i++] - '0');
        }
        return i == start ? -1 : id;
    }

    private static boolean startsWith(byte[] a, int from, int to, byte[] prefix) {
        if (to - from <= prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    // ---- closing ----

    /** The node closed the connection with {@code code}, or it ended (1006). */
    private void ended(RawWebSocket socket, int code) {
        if (socket.closed()) {
            return;
        }
        if (!closing) {
            socket.closeCode = code;
        }
        shut(socket);
    }

    private void shut(RawWebSocket socket) {
        if (socket.key != null) {
            socket.key.cancel();
        }
        try {
            socket.channel.close();
        } catch (IOException e) {
            LOG.debug("close failed where={} error={}", socket.where, e.toString());
        }
    }

    /** Says goodbye on every connection still open; they do not count as closed by a node. */
    private void closeAll() {
        registerQuietly();
        for (RawWebSocket socket : sockets) {
            if (socket.closed()) {
                continue;
            }
            if (backlog(socket) == 0) {
                out[OUT_HEADROOM] = (byte) 0x03;
                out[OUT_HEADROOM + 1] = (byte) 0xe8;
                sendFrame(socket, OP_CLOSE, 2);
            }
            if (!socket.closed()) {
                shut(socket);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("selector close failed error={}", e.toString());
        }
    }

    private void registerQuietly() {
        try {
            registerArriving();
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        }
    }
}
