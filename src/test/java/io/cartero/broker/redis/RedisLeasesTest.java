package io.cartero.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cartero.broker.BrokerContract;
import io.cartero.broker.Taken;
import io.cartero.message.QueueMessage;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What leases look like in Redis: the workshop's lists keep only workshop entries, another node
 * puts back what a dead node had taken, and reserved names outlive an emptied Redis.
 */
class RedisLeasesTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration LEASE = Duration.ofMinutes(5);

    private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final List<SetAside> setAside = new CopyOnWriteArrayList<>();
    private final List<RedisBroker> brokers = new CopyOnWriteArrayList<>();
    private RedisBroker broker;
    private RedisClient client;
    private StatefulRedisConnection<String, String> plain;

    @BeforeEach
    void connect() {
        broker = open(RedisBroker.Settings.defaults().withPrefix(prefix));
        broker.onSetAside(setAside::add);
        client = RedisClient.create(REDIS.url());
        plain = client.connect();
    }

    @AfterEach
    void close() {
        brokers.forEach(RedisBroker::close);
        plain.close();
        client.shutdown();
    }

    @Test
    void aWorkshopListHoldsOnlyWorkshopEntriesWhileAMessageIsLeased() throws Exception {
        String list = "chat_simple";
        plain.sync().del(list, list + ":leased", list + ":deadlines", list + ":returned");
        broker.queues().push(list, "ana", "uno").get();
        broker.queues().push(list, "ana", "dos").get();

        Taken taken = BrokerContract.get(broker.queues().take(list, WAIT, LEASE)).orElseThrow();

        assertThat(taken.message().text()).isEqualTo("uno");
        KeyValue<String, String> workshop = plain.sync().brpop(5, list);
        assertThat(workshop.getValue()).startsWith("{\"usuario\":\"ana\",\"mensaje\":\"dos\"");
        assertThat(BrokerContract.get(broker.queues().confirm(list, taken.receipt()))).isTrue();
        assertThat(plain.sync().exists(list + ":leased", list + ":deadlines")).isZero();
    }

    @Test
    void aMessageLeasedByANodeThatDiedGoesBackThroughAnotherNode() throws Exception {
        String queue = "trabajos";
        RedisBroker dying = open(RedisBroker.Settings.defaults().withPrefix(prefix));
        broker.queues().push(queue, "ana", "imprimir").get();
        Taken lost = BrokerContract.get(dying.queues().take(queue, WAIT, Taken.SHORTEST_LEASE))
                .orElseThrow();
        dying.close();

        Taken again = BrokerContract.get(broker.queues().take(queue, WAIT, LEASE)).orElseThrow();

        assertThat(again.message()).isEqualTo(lost.message());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.receipt()).isNotEqualTo(lost.receipt());
    }

    @Test
    void aMalformedEntryIsSetAsideByATakeWhichGoesOnToTheNext() throws Exception {
        String key = prefix + "queue:trabajos";
        plain.sync().lpush(key, "{no es json");
        broker.queues().push("trabajos", "ana", "bien").get();

        Optional<Taken> taken = BrokerContract.get(broker.queues().take("trabajos", WAIT, LEASE));

        assertThat(taken).map(Taken::message).map(QueueMessage::text).contains("bien");
        assertThat(plain.sync().lrange(key + ":dead", 0, -1)).containsExactly("{no es json");
        assertThat(setAside).extracting(SetAside::reason).containsExactly("not a queue message");
        await().atMost(WAIT).until(() -> plain.sync().hlen(key + ":leased") == 1);
    }

    @Test
    void aReservedNameComesBackAfterRedisLostIt() throws Exception {
        RedisBroker quick = open(RedisBroker.Settings.defaults().withPrefix(prefix)
                .withPresenceTtl(Duration.ofMillis(900)));
        assertThat(BrokerContract.get(quick.reserve("ana", "s1"))).isTrue();

        plain.sync().del(prefix + "name:ana");

        await().atMost(WAIT).until(() -> "s1".equals(plain.sync().get(prefix + "name:ana")));
        assertThat(BrokerContract.get(broker.reserve("ana", "s2"))).isFalse();
        assertThat(BrokerContract.get(broker.reserve("ana", "s1"))).isTrue();
    }

    private RedisBroker open(RedisBroker.Settings settings) {
        RedisBroker opened = RedisBroker.connect(REDIS.url(), settings);
        brokers.add(opened);
        return opened;
    }
}
