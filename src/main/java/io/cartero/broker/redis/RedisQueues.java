package io.cartero.broker.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartero.broker.BrokerException;
import io.cartero.broker.Queues;
import io.cartero.broker.Taken;
import io.cartero.message.ErrorCode;
import io.cartero.message.Names;
import io.cartero.message.QueueMessage;
import io.cartero.message.ValidationException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues as Redis lists: push is LPUSH, pop is BRPOP (or RPOP when it must not wait), so the
 * oldest message leaves first; each entry is the JSON of a {@link QueueMessage}, except on the
 * workshop's lists (see {@link ClassroomQueues}), which hold the workshop's JSON. An entry that
 * cannot be read is set aside on the queue's dead-letter list ({@code queue:NAME:dead}, or
 * {@code NAME:dead} for a workshop list), reported to the {@link SetAside} listener, and the
 * pop that took it goes on waiting for the next entry within its timeout.
 *
 * <p>At least once: {@link #take} runs take.lua, which moves the head entry into the queue's
 * lease records ({@code LIST:leased}, {@code LIST:deadlines}) in one atomic step; {@link
 * #confirm} forgets it; every node's reaper ({@link #reap}, once a second) puts entries whose
 * lease ended back at the head with reap.lua. The list itself only ever holds plain entries,
 * so the workshop's programs that BRPOP a workshop list keep working next to leasing
 * consumers. Thread-safe.
 */
final class RedisQueues implements Queues {
    private static final Logger LOG = LoggerFactory.getLogger(RedisQueues.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The most leases one reaper pass puts back per queue; the rest wait for the next. */
    private static final int REAP_MOST = 1_000;
    /** How long a queue's returned hash (attempt counts) outlives its last change. */
    private static final Duration RETURNED_KEPT = Duration.ofDays(1);

    private final Keys keys;
    private final ClassroomQueues lists;
    private final WorkshopListFormat workshop = WorkshopListFormat.local();
    private final Gate gate;
    private final RedisAsyncCommands<String, String> redis;
    private final BlockingConnections connections;
    private final Timer timer;
    /** Pops that wait now; failed when the broker closes. */
    private final Set<BlockingPop> waiting = ConcurrentHashMap.newKeySet();
    /** Takes that wait now; failed when the broker closes. */
    private final Set<BlockingTake> taking = ConcurrentHashMap.newKeySet();
    /** Whether a reaper pass is under way: passes never overlap. */
    private final AtomicBoolean reaping = new AtomicBoolean();
    /** Told of each entry set aside; replaced at any time, called on a callback thread. */
    private volatile Consumer<SetAside> setAside = entry -> { };
    /** Per queue, the cancelled pops that may still hold a message to put back. */
    private final ConcurrentMap<String, Set<CompletableFuture<Void>>> unsettled =
            new ConcurrentHashMap<>();

    RedisQueues(RedisBroker.Settings settings, Gate gate,
            RedisAsyncCommands<String, String> redis, BlockingConnections connections,
            Timer timer) {
        this.keys = new Keys(settings.prefix());
        this.lists = new ClassroomQueues(keys);
        this.gate = gate;
        this.redis = redis;
        this.connections = connections;
        this.timer = timer;
    }

    @Override
    public CompletableFuture<QueueMessage> push(String queue, String sender, String text) {
        return gate.call(() -> {
            Names.requireRoom(queue);
            Names.requireUser(sender);
            Names.requireText(text);
            QueueMessage message = new QueueMessage(queue, sender, text,
                    System.currentTimeMillis());
            String json = lists.isClassroom(queue) ? workshop.encode(message) : encode(message);
            return afterSettling(queue, () -> redis.lpush(lists.list(queue), json))
                    .thenApply(length -> message);
        });
    }

    @Override
    public CompletableFuture<Optional<QueueMessage>> pop(String queue, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (gate.isClosed()) {
            return CompletableFuture.failedFuture(gate.closedException());
        }
        try {
            Names.requireRoom(queue);
            requireTimeout(timeout);
        } catch (ValidationException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (timeout.isZero()) {
            return gate.call(() -> afterSettling(queue, () -> redis.rpop(lists.list(queue)))
                    .thenApply(value -> value == null ? Optional.empty()
                            : decode(queue, value)));
        }
        return waitFor(queue, timeout);
    }

    @Override
    public CompletableFuture<Optional<Taken>> take(String queue, Duration timeout,
            Duration lease) {
        Objects.requireNonNull(timeout, "timeout");
        if (gate.isClosed()) {
            return CompletableFuture.failedFuture(gate.closedException());
        }
        try {
            Names.requireRoom(queue);
            requireTimeout(timeout);
            Taken.requireLease(lease);
        } catch (ValidationException e) {
            return CompletableFuture.failedFuture(e);
        }
        BlockingTake take = new BlockingTake(lists.list(queue), timeout,
                new Leases(queue, lease), redis, connections, timer, gate);
        taking.add(take);
        take.result().whenComplete((taken, failure) -> {
            taking.remove(take);
            if (take.result().isCancelled() && !take.settled().isDone()) {
                track(queue, take.settled());
            }
        });
        take.start();
        if (gate.isClosed()) {
            take.result().completeExceptionally(gate.closedException());
        }
        return take.result();
    }

    @Override
    public CompletableFuture<Boolean> confirm(String queue, String receipt) {
        return gate.call(() -> {
            Names.requireRoom(queue);
            Taken.requireReceipt(receipt);
            String[] keys = lists.leaseKeys(queue);
            return Scripts.CONFIRM.<Long>run(redis, ScriptOutputType.INTEGER,
                    new String[] {keys[1], keys[2]}, receipt)
                    .thenApply(confirmed -> confirmed == 1);
        });
    }

    @Override
    public CompletableFuture<Long> depth(String queue) {
        return gate.call(() -> {
            Names.requireRoom(queue);
            return afterSettling(queue, () -> redis.llen(lists.list(queue)));
        });
    }

    /** From now on, {@code listener} is told of every entry set aside. */
    void onSetAside(Consumer<SetAside> listener) {
        this.setAside = Objects.requireNonNull(listener, "listener");
    }

    /** Fails every waiting pop and take with {@code cause}. */
    void close(Throwable cause) {
        for (BlockingPop pop : List.copyOf(waiting)) {
            pop.result().completeExceptionally(cause);
        }
        for (BlockingTake take : List.copyOf(taking)) {
            take.result().completeExceptionally(cause);
        }
    }

    /**
     * One reaper pass: every queue named in the set of queues with leases gets reap.lua. Runs
     * on the timer, never waits there, and skips a tick while the previous pass is still out
     * (Redis slow or away).
     */
    void reap() {
        if (gate.isClosed() || !reaping.compareAndSet(false, true)) {
            return;
        }
        redis.smembers(keys.leasing()).toCompletableFuture()
                .thenCompose(queues -> CompletableFuture.allOf(queues.stream()
                        .filter(RedisQueues::isQueueName).map(this::reap)
                        .toArray(CompletableFuture[]::new)))
                .whenComplete((done, failure) -> {
                    reaping.set(false);
                    if (failure != null) {
                        LOG.debug("reaper pass failed", failure);
                    }
                });
    }

    private CompletableFuture<Long> reap(String queue) {
        return Scripts.REAP.<Long>run(redis, ScriptOutputType.INTEGER, lists.leaseKeys(queue),
                Integer.toString(REAP_MOST), queue, Long.toString(RETURNED_KEPT.toMillis()))
                .whenComplete((back, failure) -> {
                    if (back != null && back > 0) {
                        LOG.info("leases ended, messages back at the head queue={} count={}",
                                queue, back);
                    }
                });
    }

    private static boolean isQueueName(String queue) {
        try {
            Names.requireRoom(queue);
            return true;
        } catch (ValidationException e) {
            LOG.debug("not a queue name in the lease set, skipped length={}", queue.length());
            return false;
        }
    }

    private CompletableFuture<Optional<QueueMessage>> waitFor(String queue, Duration timeout) {
        BlockingPop pop = new BlockingPop(lists.list(queue), timeout, redis, connections, timer,
                gate, value -> decode(queue, value));
        waiting.add(pop);
        pop.result().whenComplete((message, failure) -> {
            waiting.remove(pop);
            if (pop.result().isCancelled() && !pop.settled().isDone()) {
                track(queue, pop.settled());
            }
        });
        pop.start();
        if (gate.isClosed()) {
            pop.result().completeExceptionally(gate.closedException());
        }
        return pop.result();
    }

    private void track(String queue, CompletableFuture<Void> settling) {
        unsettled.computeIfAbsent(queue, q -> ConcurrentHashMap.newKeySet()).add(settling);
        settling.whenComplete((done, failure) -> unsettled.computeIfPresent(queue, (q, set) -> {
            set.remove(settling);
            return set.isEmpty() ? null : set;
        }));
    }

    /** Runs {@code command} once this node's cancelled pops of {@code queue} have settled. */
    private <T> CompletableFuture<T> afterSettling(String queue,
            Supplier<? extends CompletionStage<T>> command) {
        Set<CompletableFuture<Void>> pending = unsettled.get(queue);
        if (pending == null || pending.isEmpty()) {
            return command.get().toCompletableFuture();
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenCompose(done -> command.get());
    }

    /** The message in {@code value}, or empty when it was malformed and set aside. */
    private Optional<QueueMessage> decode(String queue, String value) {
        try {
            if (lists.isClassroom(queue)) {
                return Optional.of(workshop.decode(queue, value));
            }
            return Optional.of(JSON.readValue(value, QueueMessage.class));
        } catch (JsonProcessingException | RuntimeException e) {
            setAside(queue, value, reason(e));
            return Optional.empty();
        }
    }

    private void setAside(String queue, String value, String reason) {
        String dead = lists.deadLetters(queue);
        LOG.warn("malformed queue entry set aside queue={} dead={} length={} reason={}", queue,
                dead, value.length(), reason);
        redis.lpush(dead, value).whenComplete((length, failure) -> {
            if (failure != null) {
                LOG.warn("could not set aside a malformed entry queue={}", queue, failure);
            }
        });
        try {
            setAside.accept(new SetAside(queue, dead, reason));
        } catch (RuntimeException e) {
            LOG.warn("set-aside listener failed queue={}", queue, e);
        }
    }

    private static String reason(Exception error) {
        if (error instanceof WorkshopListFormat.MalformedEntry) {
            return error.getMessage();
        }
        return error instanceof JsonProcessingException ? "not a queue message" : "unreadable";
    }

    private static String encode(QueueMessage message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new BrokerException("cannot encode a queue message", e);
        }
    }

    private static void requireTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "timeout must not be negative: " + timeout);
        }
    }

    /** One queue's lease scripts, for a {@link BlockingTake} with one lease length. */
    private final class Leases implements BlockingTake.Source {
        private final String queue;
        private final Duration lease;

        Leases(String queue, Duration lease) {
            this.queue = queue;
            this.lease = lease;
        }

        @Override
        public CompletableFuture<Optional<Taken>> takeNow() {
            String receipt = UUID.randomUUID().toString();
            return Scripts.TAKE.<List<Object>>run(redis, ScriptOutputType.MULTI,
                    lists.leaseKeys(queue), receipt, Long.toString(lease.toMillis()), queue)
                    .thenApplyAsync(reply -> reply.isEmpty() ? Optional.empty()
                            : read(receipt, (String) reply.get(0), (Long) reply.get(1)),
                            gate.callbacks());
        }

        @Override
        public CompletableFuture<Long> giveBack(Taken taken) {
            String[] keys = lists.leaseKeys(queue);
            return Scripts.GIVE_BACK.run(redis, ScriptOutputType.INTEGER,
                    new String[] {keys[0], keys[1], keys[2], keys[3]}, taken.receipt(),
                    Long.toString(RETURNED_KEPT.toMillis()));
        }

        /** The taken message; a malformed entry is set aside and its lease dropped. */
        private Optional<Taken> read(String receipt, String entry, long attempt) {
            Optional<QueueMessage> message = decode(queue, entry);
            if (message.isEmpty()) {
                confirm(queue, receipt);
                return Optional.empty();
            }
            return Optional.of(new Taken(message.get(), receipt, (int) attempt));
        }
    }
}
