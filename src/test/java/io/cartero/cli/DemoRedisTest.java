package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.redis.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The guided tour on a real Redis: two real nodes on it in step 6, and no key left behind. */
class DemoRedisTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    @Test
    void everyStepHappensOnRedisAndItsKeysAreDeletedAtTheEnd() throws Exception {
        DemoTourTest.Run run = DemoTourTest.tour(Language.ES, REDIS.url());

        assertThat(run.record().finished()).isTrue();
        DemoTourTest.assertAccounts(run.record());
        DemoTourTest.DemoWords.ES.assertLines(run.output(), run.record().waited(),
                run.record().lost());
        assertThat(String.join(" ", run.output().lines())).containsPattern(
                "La visita usa claves propias en ese Redis \\(cartero-demo-[0-9a-f]{8}:\\*\\) y"
                        + " las borra al final\\.");
        assertThat(String.join(" ", run.output().step(6)))
                .contains("cada uno con su propia conexión al Redis");
        assertThat(demoKeys()).isEmpty();
    }

    @Test
    void runsFromTheCommandLineWithBroker() {
        Cli cli = new Cli();

        assertThat(cli.run("demo", "--auto", "--broker", REDIS.url())).isEqualTo(ExitCodes.OK);

        DemoTourTest.DemoWords.EN.assertLines(new TourOutput(cli.out()), 11, 3);
        assertThat(cli.out()).contains("through one: the Redis at " + REDIS.url() + ".");
        assertThat(demoKeys()).isEmpty();
    }

    private static List<String> demoKeys() {
        RedisClient client = RedisClient.create(REDIS.url());
        try (StatefulRedisConnection<String, String> plain = client.connect()) {
            return plain.sync().keys("cartero-demo-*");
        } finally {
            client.shutdown();
        }
    }
}
