package io.cartero.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.message.QueueMessage;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How a Redis broker's queues treat entries they cannot read, on ordinary queues too. */
class RedisQueuesSetAsideTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final List<SetAside> setAside = new CopyOnWriteArrayList<>();
    private RedisBroker broker;
    private RedisClient client;
    private StatefulRedisConnection<String, String> plain;

    @BeforeEach
    void connect() {
        broker = RedisBroker.connect(REDIS.url(), RedisBroker.Settings.defaults()
                .withPrefix(prefix));
        broker.onSetAside(setAside::add);
        client = RedisClient.create(REDIS.url());
        plain = client.connect();
    }

    @AfterEach
    void close() {
        broker.close();
        plain.close();
        client.shutdown();
    }

    @Test
    void aWaitingPopSetsAMalformedEntryAsideAndTakesTheNextOne() throws Exception {
        String key = prefix + "queue:trabajo";
        plain.sync().lpush(key, "{no es json");
        broker.queues().push("trabajo", "ana", "bien").get(10, TimeUnit.SECONDS);

        Optional<QueueMessage> popped = broker.queues().pop("trabajo", Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);

        assertThat(popped).map(QueueMessage::text).contains("bien");
        assertThat(plain.sync().lrange(key + ":dead", 0, -1)).containsExactly("{no es json");
        assertThat(setAside).containsExactly(
                new SetAside("trabajo", key + ":dead", "not a queue message"));
    }

    @Test
    void aPopThatMustNotWaitSetsTheEntryAsideAndAnswersEmpty() throws Exception {
        String key = prefix + "queue:trabajo";
        plain.sync().lpush(key, "[]");

        Optional<QueueMessage> popped = broker.queues().pop("trabajo", Duration.ZERO)
                .get(10, TimeUnit.SECONDS);

        assertThat(popped).isEmpty();
        assertThat(plain.sync().lrange(key + ":dead", 0, -1)).containsExactly("[]");
    }

    @Test
    void aPopWithOnlyMalformedEntriesEndsEmptyAtItsTimeout() throws Exception {
        String list = "chat_simple";
        plain.sync().del(list, list + ":dead");
        plain.sync().lpush(list, "{\"usuario\": \"ana\"}");

        Optional<QueueMessage> popped = broker.queues().pop(list, Duration.ofMillis(300))
                .get(10, TimeUnit.SECONDS);

        assertThat(popped).isEmpty();
        assertThat(plain.sync().lrange(list + ":dead", 0, -1))
                .containsExactly("{\"usuario\": \"ana\"}");
        assertThat(setAside).extracting(SetAside::reason).containsExactly("no \"mensaje\"");
        plain.sync().del(list + ":dead");
    }

    @Test
    void theWorkshopListsLiveOnTheirBareKeysWithTheWorkshopJson() throws Exception {
        String list = "chat_distribuido";
        plain.sync().del(list);

        broker.queues().push(list, "ana", "hola").get(10, TimeUnit.SECONDS);

        assertThat(plain.sync().exists(prefix + "queue:" + list)).isZero();
        assertThat(broker.queues().depth(list).get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(plain.sync().rpop(list)).startsWith("{\"usuario\":\"ana\",\"mensaje\":\"hola\","
                + "\"tiempo\":\"");
    }
}
