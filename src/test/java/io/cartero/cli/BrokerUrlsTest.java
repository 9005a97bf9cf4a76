package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cartero.broker.Broker;
import io.cartero.broker.disk.FsyncPolicy;
import io.cartero.broker.redis.RedisBroker;
import io.cartero.broker.redis.TestRedis;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BrokerUrlsTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    @ParameterizedTest
    @CsvSource({
        "localhost:8080, ws://localhost:8080",
        "192.168.1.20, ws://192.168.1.20:8080",
        "aula-3:9000, ws://aula-3:9000",
        "'  localhost:8081  ', ws://localhost:8081",
        "[::1]:8080, ws://[::1]:8080",
        "[::1], ws://[::1]:8080",
        "ws://localhost:8080, ws://localhost:8080",
        "wss://chat.example.org, wss://chat.example.org",
        "http://192.168.1.20:8080, ws://192.168.1.20:8080",
        "https://chat.example.org/cartero, wss://chat.example.org/cartero",
        "WS://Aula:8080, ws://Aula:8080",
        "HTTPS://aula:8443/, wss://aula:8443/",
        "ws://localhost:8080/ws, ws://localhost:8080/ws"})
    void turnsEveryAcceptedFormIntoAWebSocketAddress(String typed, String expected) {
        assertThat(BrokerUrls.nodeUri(typed)).isEqualTo(URI.create(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "ftp://aula:21", "redis://localhost:6379",
        "ws://ana:secret@aula:8080", "ws://", "http://", "local host:8080", "aula:port"})
    void refusesWhatIsNotANodeAddressAsAUsageError(String typed) {
        assertThatThrownBy(() -> BrokerUrls.nodeUri(typed))
                .isInstanceOfSatisfying(CommandException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
                    assertThat(e.key()).isEqualTo("error.bad_url");
                });
    }

    @Test
    void refusesANullAddress() {
        assertThatThrownBy(() -> BrokerUrls.nodeUri(null))
                .isInstanceOf(CommandException.class);
    }

    @TempDir
    Path temp;

    @Test
    void givesANodeTheInProcessBrokerForEmbeddedAndMemory() {
        for (String name : new String[] {"embedded", "memory", " EMBEDDED "}) {
            BrokerUrls.NodeBroker engine = engine(name);
            try (Broker broker = engine.broker()) {
                assertThat(engine.names()).isSameAs(broker);
                assertThat(engine.name()).isEqualTo(name.strip().toLowerCase());
            }
        }
    }

    @Test
    void keepsTheEmbeddedBrokerInTheDataDirectoryOrTheOneNamed() {
        Path named = temp.resolve("named");
        try (Broker inData = engine("embedded").broker();
                Broker inNamed = engine("embedded:" + named).broker();
                Broker inMemory = engine("memory").broker()) {
            assertThat(inData.describe()).isEqualTo("embedded:" + temp.resolve("data"));
            assertThat(inNamed.describe()).isEqualTo("embedded:" + named);
            assertThat(inMemory.describe()).isEqualTo("memory");
        }
        assertThat(named.resolve("lock")).exists();
    }

    @Test
    void aDataDirectoryInUseIsANamedErrorWithExitCodeThree() {
        try (Broker first = engine("embedded").broker()) {
            assertThatThrownBy(() -> engine("embedded"))
                    .isInstanceOfSatisfying(CommandException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
                        assertThat(e.key()).isEqualTo("error.data_in_use");
                    });
        }
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsANamedErrorWithExitCodeThree() throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "x");

        assertThatThrownBy(() -> BrokerUrls.engine("embedded", file, FsyncPolicy.INTERVAL))
                .isInstanceOfSatisfying(CommandException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
                    assertThat(e.key()).isEqualTo("error.data_unusable");
                });
    }

    @Test
    void refusesAnEngineItDoesNotOffer() {
        assertThatThrownBy(() -> engine("kafka://localhost:9092"))
                .isInstanceOfSatisfying(CommandException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
                    assertThat(e.key()).isEqualTo("error.bad_engine");
                });
    }

    @Test
    void givesANodeARedisBrokerThatIsAlsoItsNameRegistry() {
        BrokerUrls.NodeBroker engine = engine(" " + REDIS.url().toUpperCase() + " ");
        try (Broker broker = engine.broker()) {
            assertThat(broker).isInstanceOf(RedisBroker.class);
            assertThat(engine.names()).isSameAs(broker);
            assertThat(engine.name()).isEqualTo("redis");
            for (String language : new String[] {"en", "es"}) {
                ResourceBundle bundle = ResourceBundle.getBundle("i18n.messages",
                        Locale.forLanguageTag(language));
                assertThat(bundle.getString("server.engine_redis")).startsWith("redis,");
            }
        }
    }

    @Test
    void aServerOnRedisSaysSoAndStopsCleanly() throws Exception {
        Cli server = new Cli();
        CompletableFuture<Integer> exit = server.start("server", "--host", "127.0.0.1",
                "--port", "0", "--broker", REDIS.url());
        await().atMost(Duration.ofSeconds(10)).until(() -> server.out().contains("Ctrl+C"));
        server.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(server.out()).contains("(broker: redis, shared with every server");
    }

    @Test
    void anUnreachableRedisIsANetworkErrorWithoutThePassword() {
        assertThatThrownBy(() -> engine("redis://ana:secreto@127.0.0.1:1"))
                .isInstanceOfSatisfying(CommandException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
                    assertThat(e.key()).isEqualTo("error.redis_unreachable");
                    assertThat(e.args()[0]).hasToString("redis://127.0.0.1:1");
                });
    }

    @Test
    void aMalformedRedisUrlIsAUsageError() {
        assertThatThrownBy(() -> engine("redis://localhost:99999999"))
                .isInstanceOfSatisfying(CommandException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE));
    }

    @Test
    void opensAnInProcessBrokerForMemory() {
        try (Broker broker = BrokerUrls.open("memory", "ana")) {
            assertThat(broker.describe()).isNotBlank();
        }
    }

    /** The node broker {@code name} names, with {@code data} under this test's directory. */
    private BrokerUrls.NodeBroker engine(String name) {
        return BrokerUrls.engine(name, temp.resolve("data"), FsyncPolicy.INTERVAL);
    }
}
