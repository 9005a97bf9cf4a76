package io.cartero.broker.redis;

import io.cartero.broker.Taken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartero.broker.BrokerException;
import io.cartero.broker.Queues;
import io.cartero.message.ErrorCode;
import io.cartero.message.Names;
import io.cartero.message.QueueMessage;
import io.cartero.message.ValidationException;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
 * pop that took it goes on waiting for the next entry within its timeout. Thread-safe.
 */
final class RedisQueues implements Queues {
    private static final Logger LOG = LoggerFactory.getLogger(RedisQueues.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClassroomQueues lists;
    private final WorkshopListFormat workshop = WorkshopListFormat.local();
    private final Gate gate;
    private final RedisAsyncCommands<String, String> redis;
    private final BlockingConnections connections;
    private final Timer timer;
    /** Pops that wait now; failed when the broker closes. */
    private final Set<BlockingPop> waiting = ConcurrentHashMap.newKeySet();
    /** Told of each entry set aside; replaced at any time, called on a callback thread. */
    private volatile Consumer<SetAside> setAside = entry -> { };
    /** Per queue, the cancelled pops that may still hold a message to put back. */
    private final ConcurrentMap<String, Set<CompletableFuture<Void>>> unsettled =
            new ConcurrentHashMap<>();

    RedisQueues(RedisBroker.Settings settings, Gate gate,
            RedisAsyncCommands<String, String> redis, BlockingConnections connections,
            Timer timer) {
        this.lists = new ClassroomQueues(new Keys(settings.prefix()));
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
        return CompletableFuture.failedFuture(new BrokerException("take: not built yet"));
    }

    @Override
    public CompletableFuture<Boolean> confirm(String queue, String receipt) {
        return CompletableFuture.failedFuture(new BrokerException("confirm: not built yet"));
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

    /** Fails every waiting pop with {@code cause}. */
    void close(Throwable cause) {
        for (BlockingPop pop : List.copyOf(waiting)) {
            pop.result().completeExceptionally(cause);
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
                    "pop timeout must not be negative: " + timeout);
        }
    }
}
