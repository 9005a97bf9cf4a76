package io.cartero.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.Recorder;
import io.cartero.client.NodeClient;
import io.cartero.message.Message;
import io.cartero.message.QueueMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's panel of the broker view in a real browser: pausing a consumer lets its queue
 * grow in the picture and resuming drains it; cutting the node off shows the cut and the
 * deliveries waiting, and restoring delivers them; a wrong token changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NeedsChromium.class)
class OperatorBrowserIT {
    private static final Path IMAGES = Path.of(
            System.getProperty("cartero.screenshots", "target/screenshots"));

    private WebNode node;
    private Browser browser;
    @RegisterExtension
    final FailureRecorder failures = new FailureRecorder().watch(() -> browser);
    private NodeClient pablo;
    private NodeClient ana;
    private Recorder anaHeard;
    private final ExecutorService consumers = Executors.newCachedThreadPool();
    private final AtomicBoolean consuming = new AtomicBoolean();
    private final List<String> anaTook = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startBrowser() {
        browser = Browser.start("en", 1280, 900);
    }

    @BeforeEach
    void startNode() throws Exception {
        node = WebNode.inMemory();
        pablo = node.client("pablo");
        ana = node.client("ana");
        anaHeard = new Recorder();
        ana.rooms().subscribe("plaza", Position.now(), anaHeard).get(10, TimeUnit.SECONDS);
        pablo.rooms().publish(Publish.chat("plaza", "pablo", "hola")).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopNode() {
        consuming.set(false);
        ChatBrowserIT.closeQuietly(node);
    }

    @AfterAll
    void stopBrowser() {
        consumers.shutdownNow();
        ChatBrowserIT.closeQuietly(browser);
    }

    @Test
    void pausingAConsumerLetsTheQueueGrowAndResumingDrainsIt() throws Exception {
        consumeAsAna("tareas");
        BrokerViewPage view = new BrokerViewPage(browser).open(node.page());
        view.await(d -> view.boxFigure("queue", "tareas", "depth") == 0);

        view.operate(node.operatorToken(), "ana", "pause");
        view.await(d -> view.paused("ana"));
        assertThat(view.operatorResult()).isEqualTo("Done: pause ana (1 connection(s))");
        for (int i = 1; i <= 3; i++) {
            pablo.queues().push("tareas", "pablo", "tarea " + i).get(10, TimeUnit.SECONDS);
        }
        view.await(d -> view.boxFigure("queue", "tareas", "depth") == 3);
        assertThat(anaTook).isEmpty();
        Files.createDirectories(IMAGES);
        browser.screenshot(IMAGES.resolve("broker-paused.png"));

        view.operate(node.operatorToken(), "ana", "resume");
        view.await(d -> view.boxFigure("queue", "tareas", "depth") == 0 && !view.paused("ana"));
        view.await(d -> anaTook.size() == 3);
        assertThat(anaTook).containsExactly("tarea 1", "tarea 2", "tarea 3");
    }

    @Test
    void cuttingTheNodeOffShowsTheGapAndRestoringDeliversWhatWaited() throws Exception {
        BrokerViewPage view = new BrokerViewPage(browser).open(node.page());
        view.await(d -> view.parties("consumer").contains("ana"));

        view.operate(node.operatorToken(), "", "cut");
        view.await(d -> view.brokerState().equals("cut"));
        assertThat(view.brokerLabel()).isEqualTo("Broker (in memory) · cut off from this node");
        Message meanwhile = node.broker().rooms().publish(Publish.chat("plaza", "luis",
                "desde otro nodo")).get(10, TimeUnit.SECONDS);
        view.await(d -> view.nodeLine().contains("1 delivery waits"));
        assertThat(anaHeard.messages()).extracting(Message::offset)
                .doesNotContain(meanwhile.offset());
        browser.screenshot(IMAGES.resolve("broker-cut.png"));

        view.operate(node.operatorToken(), "", "restore");
        view.await(d -> view.brokerState().equals("ok") && view.nodeLine().isEmpty());
        view.await(d -> anaHeard.messages().stream().anyMatch(m -> m.equals(meanwhile)));
    }

    @Test
    void aWrongTokenChangesNothing() {
        BrokerViewPage view = new BrokerViewPage(browser).open(node.page());

        view.operate("not-the-operator-token", "", "cut");
        view.await(d -> !view.operatorResult().isEmpty());

        assertThat(view.operatorResult()).startsWith("That control is for the operator");
        assertThat(view.brokerState()).isEqualTo("ok");
    }

    /** Ana pops from {@code queue} one message after another, as a worker does. */
    private void consumeAsAna(String queue) {
        consuming.set(true);
        consumers.execute(() -> {
            while (consuming.get()) {
                try {
                    Optional<QueueMessage> message = ana.queues()
                            .pop(queue, Duration.ofMillis(500)).get(10, TimeUnit.SECONDS);
                    message.ifPresent(m -> anaTook.add(m.text()));
                } catch (Exception e) {
                    return;
                }
            }
        });
    }
}
