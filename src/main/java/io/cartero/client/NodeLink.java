package io.cartero.client;

import io.cartero.broker.BrokerException;
import io.cartero.message.ErrorCode;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's link to a node: the connection in use now and, when it is lost, the
 * reconnector that replaces it. The heartbeat of each {@link NodeConnection} and the close
 * codes decide <em>when</em> a connection is gone; an {@link ExponentialBackoff} decides when
 * to try again; this class decides <em>where</em> (the next of the addresses it was given)
 * and <em>how</em>: it says hello with the same session token, so the node gives the name
 * back, then has the {@code resumer} re-join the rooms, then sends again the publishes that
 * waited.
 *
 * <p>Close codes 4002 (too many errors), 4003 (no hello in time) and 4004 (the session was
 * taken over elsewhere) end the link for good, as does a hello refused for any reason but
 * {@code name_taken} (a dead node may hold the name until its entry expires) or the end of
 * {@code giveUpAfter}; every other loss is followed by reconnect attempts.
 *
 * <p>Thread-safe. State changes are told to listeners one at a time, in order, on the
 * client's callback pool.
 */
final class NodeLink implements NodeConnection.Inbound {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLink.class);

    /** Close codes after which the client must not come back. */
    private static final Set<Integer> FINAL_CLOSE_CODES = Set.of(4002, 4003, 4004, 4007);
    /** Requests that may wait for the connection to come back. */
    static final int MAX_WAITING_FOR_CONNECTION = 1_000;
    /**
     * Attempts after which a repeatable request that timed out fails: six replies of 10 s
     * outlast the 30 s in which the heartbeat finds a silent connection dead.
     */
    private static final int TIMEOUTS_BEFORE_FAILING = 6;

    /** Re-joins what the client had joined, on a connection that was just opened. */
    interface Resumer {
        CompletableFuture<Void> resume(NodeConnection connection);
    }

    private enum Mode { OPEN, RECONNECTING, GAVE_UP, CLOSED }

    private final List<URI> addresses;
    private final String name;
    private final String session;
    private final ClientOptions options;
    private final ClientThreads threads;
    private final NodeConnection.Inbound pushes;
    private final ExponentialBackoff backoff;
    /** Tells listeners of state changes, in order. */
    private final DeliveryLane announcements;
    private final List<Consumer<? super ConnectionState>> listeners =
            new CopyOnWriteArrayList<>();
    /** Completes with the cause once the link is given up; never on {@link #close}. */
    private final CompletableFuture<BrokerException> gaveUp = new CompletableFuture<>();

    /** The connection in use, and what its node said; replaced under {@code this}. */
    private volatile Connected current;
    /** Guarded by {@code this}. */
    private Mode mode = Mode.OPEN;
    /** The last state announced; guarded by {@code this}. */
    private ConnectionState state = ConnectionState.connected();
    /** When the connection was lost ({@link System#nanoTime}); guarded by {@code this}. */
    private long lostAt;
    /** The index of the address the next attempt goes to; guarded by {@code this}. */
    private int nextIndex;
    /** The number of the last attempt scheduled since the loss; guarded by {@code this}. */
    private int attempts;
    /** The next reconnect attempt, while one is scheduled; guarded by {@code this}. */
    private ScheduledFuture<?> nextAttempt;
    /** Requests waiting for the connection to come back; guarded by {@code this}. */
    private final List<CompletableFuture<NodeConnection>> waiting = new ArrayList<>();
    /** Why the link no longer serves; set once it gave up or closed. */
    private volatile BrokerException endCause;
    /** Set once, right after construction. */
    private volatile Resumer resumer = connection -> CompletableFuture.completedFuture(null);

    /** A connection and the welcome its node sent. */
    record Connected(NodeConnection connection, Frame.Welcome welcome, int index) {
    }

    private NodeLink(List<URI> addresses, String name, String session, ClientOptions options,
            ClientThreads threads, NodeConnection.Inbound pushes) {
        this.addresses = List.copyOf(addresses);
        this.name = name;
        this.session = session;
        this.options = options;
        this.threads = threads;
        this.pushes = pushes;
        this.backoff = new ExponentialBackoff(options.firstDelay(), options.maxDelay());
        this.announcements = new DeliveryLane("connection-state", threads.lanes(), 1_000);
    }

    /**
     * Connects to the first of {@code addresses} that answers.
     *
     * @throws BrokerException if none does, naming the last one tried
     * @throws ValidationException if a node refuses the hello
     */
    static NodeLink open(List<URI> addresses, String name, String session,
            ClientOptions options, ClientThreads threads, NodeConnection.Inbound pushes) {
        NodeLink link = new NodeLink(addresses, name, session, options, threads, pushes);
        BrokerException failure = null;
        for (int i = 0; i < addresses.size(); i++) {
            try {
                link.current = link.connect(i);
                link.lostBeforeAdoption(link.current);
                return link;
            } catch (ValidationException e) {
                throw e;
            } catch (BrokerException e) {
                LOG.debug("cannot connect url={} error={}", addresses.get(i), e.getMessage());
                failure = e;
            }
        }
        throw Objects.requireNonNull(failure, "no address");
    }

    void resumeWith(Resumer resumer) {
        this.resumer = resumer;
    }

    /** The connection in use now: open, or lost while the link reconnects or gave up. */
    NodeConnection connection() {
        return current.connection();
    }

    /** What the node in use now said when the client connected to it. */
    Frame.Welcome welcome() {
        return current.welcome();
    }

    Executor callbacks() {
        return threads.callbacks();
    }

    Executor lanes() {
        return threads.lanes();
    }

    /** Completes with the cause once the link is given up for good; never on close. */
    CompletableFuture<BrokerException> gaveUp() {
        return gaveUp;
    }

    /** Adds a listener of state changes; it hears the state now first. */
    synchronized void onStateChange(Consumer<? super ConnectionState> listener) {
        listeners.add(listener);
        ConnectionState now = state;
        announcements.offer(() -> listener.accept(now));
    }

    /**
     * The open connection: now, or once the link is back. Fails if the link gave up or was
     * closed, or if too many requests wait already.
     */
    synchronized CompletableFuture<NodeConnection> whenOpen() {
        // A connection that was just lost is still current until its loss is handled: a
        // request then waits for the next one instead of failing on the dead one.
        if (mode == Mode.OPEN && current.connection().isOpen()) {
            return CompletableFuture.completedFuture(current.connection());
        }
        if (mode != Mode.RECONNECTING && mode != Mode.OPEN) {
            return CompletableFuture.failedFuture(endedCause());
        }
        if (waiting.size() >= MAX_WAITING_FOR_CONNECTION) {
            return CompletableFuture.failedFuture(new BrokerException("more than "
                    + MAX_WAITING_FOR_CONNECTION + " requests wait for the connection to "
                    + describeAddresses() + " to come back"));
        }
        CompletableFuture<NodeConnection> opened = new CompletableFuture<>();
        waiting.add(opened);
        return opened;
    }

    /**
     * Sends a request that may be repeated safely (a publish with its idempotency key, a join
     * not yet answered, a read): on
     * the open connection, or once the link is back; sent again if the connection is lost
     * before the reply came. Completes on the callback pool.
     */
    <R extends Frame, T> CompletableFuture<T> callRepeatable(
            LongFunction<Frame> request, Class<R> replyType,
            Function<? super R, ? extends T> onReply) {
        CompletableFuture<T> result = new CompletableFuture<>();
        repeat(request, replyType, onReply, result, 1);
        return result;
    }

    private <R extends Frame, T> void repeat(LongFunction<Frame> request,
            Class<R> replyType, Function<? super R, ? extends T> onReply,
            CompletableFuture<T> result, int attempt) {
        whenOpen().thenCompose(connection -> connection.exchange(request, replyType,
                NodeConnection.REPLY_TIMEOUT, onReply))
                .whenComplete((value, error) -> {
                    Throwable cause = error == null ? null : NodeConnection.unwrap(error);
                    if (isWorthRepeating(cause, attempt)) {
                        LOG.debug("request sent again after a lost connection attempt={}",
                                attempt + 1);
                        threads.callbacks().execute(() -> repeat(request, replyType, onReply,
                                result, attempt + 1));
                    } else {
                        threads.callbacks().execute(() -> complete(result, value, cause));
                    }
                });
    }

    /**
     * Whether a repeatable request that failed with {@code cause} on attempt {@code attempt}
     * goes again: after a lost connection, on the next one; after a few timeouts too, since a
     * connection that died silently is found dead by the heartbeat only later, and the request
     * then goes on the next connection.
     */
    private static boolean isWorthRepeating(Throwable cause, int attempt) {
        if (cause instanceof ConnectionLostException) {
            return attempt < MAX_WAITING_FOR_CONNECTION;
        }
        return cause instanceof ReplyTimeoutException && attempt < TIMEOUTS_BEFORE_FAILING;
    }

    private static <T> void complete(CompletableFuture<T> result, T value, Throwable error) {
        if (error == null) {
            result.complete(value);
        } else {
            result.completeExceptionally(error);
        }
    }

    @Override
    public void onPush(Frame frame) {
        pushes.onPush(frame);
    }

    @Override
    public void onLost(NodeConnection connection, ConnectionLostException cause) {
        Connected now = current;
        if (now != null && now.connection() == connection) {
            handleLoss(now, cause);
        }
    }

    /**
     * Handles the loss of {@code connected} if it was lost before it became the current one,
     * when {@link #onLost} ignored it.
     */
    private void lostBeforeAdoption(Connected connected) {
        NodeConnection connection = connected.connection();
        if (!connection.isOpen()) {
            handleLoss(connected, connection.endCause());
        }
    }

    private void handleLoss(Connected lost, BrokerException cause) {
        if (FINAL_CLOSE_CODES.contains(lost.connection().closeCode())) {
            giveUp(cause);
            return;
        }
        synchronized (this) {
            if (mode == Mode.OPEN) {
                mode = Mode.RECONNECTING;
                lostAt = System.nanoTime();
                attempts = 0;
            } else if (mode != Mode.RECONNECTING) {
                return;
            }
            nextIndex = (lost.index() + 1) % addresses.size();
            retryLocked(cause.getMessage());
        }
    }

    /** Schedules attempt {@code attempt}, or gives up when the time allowed has run out. */
    private void scheduleLocked(int attempt, String reason) {
        Duration giveUpAfter = options.giveUpAfter();
        if (giveUpAfter != null && System.nanoTime() - lostAt > giveUpAfter.toNanos()) {
            threads.callbacks().execute(() -> giveUp(new BrokerException("could not reconnect "
                    + "to " + describeAddresses() + " within "
                    + PendingRequests.seconds(giveUpAfter) + ": " + reason)));
            return;
        }
        Duration delay = backoff.delay(attempt);
        if (attempt == 1 || attempt % 10 == 0) {
            LOG.warn("reconnecting attempt={} delay_ms={} reason={}", attempt, delay.toMillis(),
                    reason);
        } else {
            LOG.debug("reconnecting attempt={} delay_ms={} reason={}", attempt,
                    delay.toMillis(), reason);
        }
        announce(ConnectionState.reconnecting(attempt, delay, reason));
        nextAttempt = threads.timer().schedule(
                () -> threads.callbacks().execute(() -> attempt(attempt)),
                delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Schedules the attempt after a failed one. */
    private void retryLocked(String reason) {
        attempts++;
        scheduleLocked(attempts, reason);
    }

    private void attempt(int attempt) {
        int index;
        synchronized (this) {
            if (mode != Mode.RECONNECTING) {
                return;
            }
            index = nextIndex;
            nextIndex = (nextIndex + 1) % addresses.size();
        }
        Connected connected;
        try {
            connected = connect(index);
        } catch (ValidationException e) {
            if (e.code() != ErrorCode.NAME_TAKEN) {
                giveUp(new BrokerException(addresses.get(index) + " refused the session: "
                        + e.getMessage(), e));
                return;
            }
            // A node that died may hold the name until its entry expires: keep trying.
            synchronized (this) {
                if (mode == Mode.RECONNECTING) {
                    retryLocked(e.getMessage());
                }
            }
            return;
        } catch (BrokerException e) {
            synchronized (this) {
                if (mode == Mode.RECONNECTING) {
                    retryLocked(e.getMessage());
                }
            }
            return;
        }
        reconnected(connected, attempt);
    }

    private void reconnected(Connected connected, int attempt) {
        synchronized (this) {
            if (mode != Mode.RECONNECTING) {
                connected.connection().close(endedCause());
                return;
            }
            current = connected;
            if (!connected.connection().isOpen()) {
                retryLocked(connected.connection().endCause().getMessage());
                return;
            }
        }
        LOG.info("reconnected url={} node={} attempt={}", connected.connection().url(),
                connected.welcome().node(), attempt);
        resumer.resume(connected.connection()).whenComplete((done, error) -> {
            if (error != null) {
                LOG.warn("resume incomplete url={} error={}", connected.connection().url(),
                        NodeConnection.unwrap(error).toString());
            }
            back(connected);
        });
    }

    private void back(Connected connected) {
        List<CompletableFuture<NodeConnection>> released;
        synchronized (this) {
            if (mode != Mode.RECONNECTING || current != connected
                    || !connected.connection().isOpen()) {
                return;
            }
            mode = Mode.OPEN;
            released = new ArrayList<>(waiting);
            waiting.clear();
            announce(ConnectionState.back());
        }
        released.forEach(future -> future.complete(connected.connection()));
    }

    private Connected connect(int index) {
        URI url = addresses.get(index);
        Duration timeout = options.connectTimeout();
        NodeConnection connection = NodeConnection.open(url, options.token(), options.trust(),
                timeout, this, threads);
        try {
            Frame.Welcome welcome = await(connection.exchange(
                    id -> new Frame.Hello(id, name, Frame.VERSION, session), Frame.Welcome.class,
                    timeout, reply -> reply), url);
            connection.welcomed(welcome.limits() == null ? NodeConnection.DEFAULT_LIMITS
                    : welcome.limits());
            connection.watch(options.pingInterval(), options.silenceTimeout());
            LOG.info("connected url={} node={} name={}", url, welcome.node(), welcome.name());
            return new Connected(connection, welcome, index);
        } catch (RuntimeException e) {
            connection.close(new BrokerException("hello failed on " + url));
            if (connection.refusal() != null) {
                throw connection.refusal();
            }
            throw e;
        }
    }

    private void giveUp(BrokerException cause) {
        List<CompletableFuture<NodeConnection>> failed;
        synchronized (this) {
            if (mode == Mode.GAVE_UP || mode == Mode.CLOSED) {
                return;
            }
            mode = Mode.GAVE_UP;
            endCause = cause;
            failed = takeWaitingLocked();
            announce(ConnectionState.gaveUp(cause.getMessage()));
        }
        LOG.warn("gave up reconnecting addresses={} cause={}", describeAddresses(),
                cause.getMessage());
        failed.forEach(future -> future.completeExceptionally(cause));
        current.connection().close(cause);
        gaveUp.complete(cause);
    }

    private BrokerException endedCause() {
        BrokerException cause = endCause;
        return cause != null ? cause : new BrokerException("the client of "
                + describeAddresses() + " is closed");
    }

    /**
     * Closes the link: no more reconnecting, the connection closed normally (1000), requests
     * waiting for it failed. Idempotent.
     */
    void close() {
        BrokerException closed = new BrokerException("the client of "
                + current.connection().url() + " is closed");
        List<CompletableFuture<NodeConnection>> failed;
        synchronized (this) {
            if (mode == Mode.CLOSED) {
                return;
            }
            mode = Mode.CLOSED;
            if (endCause == null) {
                endCause = closed;
            }
            if (nextAttempt != null) {
                nextAttempt.cancel(false);
            }
            failed = takeWaitingLocked();
        }
        failed.forEach(future -> future.completeExceptionally(closed));
        current.connection().close(closed);
        LOG.info("disconnected url={}", current.connection().url());
    }

    private List<CompletableFuture<NodeConnection>> takeWaitingLocked() {
        List<CompletableFuture<NodeConnection>> taken = new ArrayList<>(waiting);
        waiting.clear();
        return taken;
    }

    /** Tells every listener of {@code next}; called under {@code this}. */
    private void announce(ConnectionState next) {
        state = next;
        for (Consumer<? super ConnectionState> listener : listeners) {
            announcements.offer(() -> listener.accept(next));
        }
    }

    private String describeAddresses() {
        return addresses.size() == 1 ? addresses.get(0).toString() : addresses.toString();
    }

    private static <T> T await(CompletableFuture<T> reply, URI url) {
        try {
            return reply.get();
        } catch (ExecutionException e) {
            Throwable cause = NodeConnection.unwrap(e);
            throw cause instanceof RuntimeException failure ? failure
                    : new BrokerException("cannot talk to " + url, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while waiting for " + url, e);
        }
    }
}
