package io.cartero.node;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated user the operator added: a real WebSocket client of this node,
 * speaking the protocol like any other, so the broker view shows it as a producer or a
 * consumer. A producer sends numbered messages to a room or pushes them onto a queue at a
 * rate; a consumer joins the room, or asks the queue for one message after another (again a
 * second after a refusal, such as while the node is cut off). Sends
 * go out one at a time, on the node's chores thread. Thread-safe.
 */
final class SimulatedClient implements WebSocket.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedClient.class);
    private static final long PING_MS = 10_000;
    private static final long POP_WAIT_MS = 5_000;
    /** How long a consumer waits before asking again after its pop was refused. */
    private static final long RETRY_MS = 1_000;

    private final String name;
    private final String role;
    private final boolean room;
    private final String target;
    private final AtomicLong sequence = new AtomicLong();
    private final ScheduledExecutorService chores;
    /** Completes when the previous frame went out; replaced by each send. */
    private CompletableFuture<WebSocket> tail;
    private volatile ScheduledFuture<?> producing;
    private volatile ScheduledFuture<?> pinging;
    private volatile boolean closed;

    private SimulatedClient(String name, String role, boolean room, String target,
            ScheduledExecutorService chores) {
        this.chores = chores;
        this.name = name;
        this.role = role;
        this.room = room;
        this.target = target;
    }

    /** Connects a simulated client to the node at {@code node} and starts it. */
    static SimulatedClient start(HttpClient http, URI node, String name, String role, boolean room,
            String target, double rate, ScheduledExecutorService chores) {
        SimulatedClient client = new SimulatedClient(name, role, room, target, chores);
        client.tail = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(node, client);
        client.send("{\"type\":\"hello\",\"id\":1,\"name\":\"" + name + "\"}");
        if (role.equals("producer")) {
            long every = Math.max(1, Math.round(1_000_000 / rate));
            client.producing = chores.scheduleAtFixedRate(client::produce, every, every,
                    TimeUnit.MICROSECONDS);
        } else if (room) {
            client.send("{\"type\":\"join\",\"id\":2,\"room\":\"" + target + "\"}");
        } else {
            client.pop();
        }
        client.pinging = chores.scheduleAtFixedRate(
                () -> client.send("{\"type\":\"ping\"}"), PING_MS, PING_MS, TimeUnit.MILLISECONDS);
        LOG.info("simulated client started name={} role={} target={}", name, role, target);
        return client;
    }

    void close() {
        closed = true;
        cancel(producing);
        cancel(pinging);
        synchronized (this) {
            tail = tail.thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "removed"));
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (last && !closed && role.equals("consumer") && !room) {
            String frame = data.toString();
            if (frame.contains("\"type\":\"popped\"")) {
                pop();
            } else if (frame.contains("\"type\":\"error\"")) {
                chores.schedule(this::pop, RETRY_MS, TimeUnit.MILLISECONDS);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        LOG.debug("simulated client failed name={} error={}", name, error.toString());
        cancel(producing);
        cancel(pinging);
    }

    private void produce() {
        long n = sequence.incrementAndGet();
        String text = name + " #" + n;
        send(room
                ? "{\"type\":\"send\",\"room\":\"" + target + "\",\"text\":\"" + text
                        + "\",\"client_time\":" + System.currentTimeMillis() + "}"
                : "{\"type\":\"push\",\"queue\":\"" + target + "\",\"text\":\"" + text + "\"}");
    }

    private void pop() {
        send("{\"type\":\"pop\",\"queue\":\"" + target + "\",\"wait_ms\":" + POP_WAIT_MS + "}");
    }

    private synchronized void send(String frame) {
        if (closed) {
            return;
        }
        tail = tail.thenCompose(ws -> ws.sendText(frame, true));
        tail.exceptionally(failure -> {
            cancel(producing);
            return null;
        });
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }
}
