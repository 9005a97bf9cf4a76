package io.cartero.cli;

import io.cartero.broker.Broker;
import io.cartero.broker.BrokerException;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.broker.redis.RedisBroker;
import io.cartero.cli.demo.GuidedTour;
import io.cartero.cli.demo.TourBrokers;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The brokers of {@code cartero demo}: one memory broker in this process, or a Redis. On Redis
 * every run has a key prefix of its own, so that tours run at once on one Redis (a class)
 * never take each other's messages, and its keys are deleted when it ends.
 */
final class DemoBrokers implements TourBrokers {
    private static final Logger LOG = LoggerFactory.getLogger(DemoBrokers.class);
    private static final String PREFIX = "cartero-demo-";

    private final Kind kind;
    /** The Redis URL as given (with its password), or null for memory. */
    private final String url;
    private final String prefix;
    private final RedisEnvironment redisEnv;
    private final Broker shared;
    private final NodeEngine sharedEngine;
    /** Guarded by {@code this}: the brokers opened for nodes, closed at the end. */
    private final List<RedisBroker> opened = new ArrayList<>();

    private DemoBrokers(Kind kind, String url, String prefix, RedisEnvironment redisEnv,
            Broker shared, NodeEngine sharedEngine) {
        this.kind = kind;
        this.url = url;
        this.prefix = prefix;
        this.redisEnv = redisEnv;
        this.shared = shared;
        this.sharedEngine = sharedEngine;
    }

    /**
     * The brokers that {@code name} asks for: {@code memory} or a Redis URL.
     *
     * @throws CommandException with {@link ExitCodes#USAGE} for anything else, or
     *     {@link ExitCodes#UNREACHABLE} if the Redis does not answer
     */
    static DemoBrokers open(String name) {
        return open(name, RedisEnvironment.NONE);
    }

    /** As {@link #open(String)}, a Redis with the password and authority of {@code redisEnv}. */
    static DemoBrokers open(String name, RedisEnvironment redisEnv) {
        if (BrokerUrls.MEMORY.equalsIgnoreCase(name.strip())) {
            MemoryBroker broker = new MemoryBroker(
                    MemoryBroker.Settings.defaults().withRetention(GuidedTour.RETENTION));
            return new DemoBrokers(Kind.MEMORY, null, "", redisEnv, broker,
                    new NodeEngine(broker, broker));
        }
        if (!BrokerUrls.isRedis(name)) {
            throw new CommandException(ExitCodes.USAGE, "error.demo_broker", name.strip());
        }
        String prefix = PREFIX + HexFormat.of().toHexDigits(
                ThreadLocalRandom.current().nextInt()) + ":";
        RedisBroker redis = BrokerUrls.redis(name, settings(prefix), redisEnv);
        return new DemoBrokers(Kind.REDIS, name, prefix, redisEnv, redis,
                new NodeEngine(redis, redis));
    }

    @Override
    public Broker shared() {
        return shared;
    }

    @Override
    public NodeEngine forNode() {
        if (kind == Kind.MEMORY) {
            return sharedEngine;
        }
        RedisBroker node = BrokerUrls.redis(url, settings(prefix), redisEnv);
        synchronized (this) {
            opened.add(node);
        }
        return new NodeEngine(node, node);
    }

    @Override
    public int retention() {
        return GuidedTour.RETENTION;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String describe() {
        return shared.describe();
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public void close() {
        synchronized (this) {
            opened.forEach(RedisBroker::close);
            opened.clear();
        }
        if (shared instanceof RedisBroker redis) {
            deleteKeys(redis);
        }
        shared.close();
    }

    private void deleteKeys(RedisBroker redis) {
        try {
            redis.deleteKeys();
        } catch (BrokerException e) {
            LOG.warn("demo keys not deleted url={} prefix={} reason={}", redis.describe(),
                    prefix, e.getMessage());
        }
    }

    private static RedisBroker.Settings settings(String prefix) {
        return RedisBroker.Settings.defaults().withPrefix(prefix)
                .withRetention(GuidedTour.RETENTION);
    }
}
