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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The broker view in a real browser against a real node, with terminal programs' clients as
 * producer and consumers: the picture, which edges light up for a queue and for a room, and
 * the journey of one message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NeedsChromium.class)
class BrokerViewBrowserIT {
    /** Where the screenshots go, as in {@link PageLayoutBrowserIT}. */
    private static final Path IMAGES = Path.of(
            System.getProperty("cartero.screenshots", "target/screenshots"));

    private WebNode node;
    private Browser browser;
    @RegisterExtension
    final FailureRecorder failures = new FailureRecorder().watch(() -> browser);
    private NodeClient pablo;
    private NodeClient ana;
    private NodeClient bea;

    @BeforeAll
    void startBrowser() {
        browser = Browser.start("en", 1280, 800);
    }

    @BeforeEach
    void startNodeWithAProducerAndTwoConsumers() throws Exception {
        node = WebNode.inMemory();
        pablo = node.client("pablo");
        ana = node.client("ana");
        bea = node.client("bea");
        for (NodeClient consumer : List.of(ana, bea)) {
            consumer.rooms().subscribe("plaza", Position.now(), new Recorder())
                    .get(10, TimeUnit.SECONDS);
        }
        publish("plaza", "buenos días");
    }

    @AfterEach
    void stopNode() {
        ChatBrowserIT.closeQuietly(node);
    }

    @AfterAll
    void stopBrowser() {
        ChatBrowserIT.closeQuietly(browser);
    }

    @Test
    void showsTheProducerTheBrokerAndBothConsumers() {
        BrokerViewPage view = new BrokerViewPage(browser).open(node.page());

        view.await(d -> view.parties("consumer").size() == 2
                && view.parties("producer").size() == 1);
        assertThat(view.parties("producer")).containsExactly("pablo");
        assertThat(view.parties("consumer")).containsExactlyInAnyOrder("ana", "bea");
        assertThat(view.partyLabels("producer")).containsExactly("Producer pablo");
        assertThat(view.brokerState()).isEqualTo("ok");
        assertThat(view.brokerLabel()).isEqualTo("Broker (in memory)");
        assertThat(view.boxLabel("room", "plaza")).startsWith("#plaza: ");
        assertThat(view.edge("conn:" + view.conn("pablo"), "room:plaza").total()).isEqualTo(1);
        assertThat(browser.consoleLines()).noneMatch(line -> line.contains("Content Security"));

        Object transcript = browser.driver().executeAsyncScript("const done = arguments[0];"
                + "const input = document.getElementById('export-room'); input.value = 'plaza';"
                + "input.dispatchEvent(new Event('input'));"
                + "fetch(document.getElementById('export-room-csv').href)"
                + ".then(r => r.text()).then(done, e => done(String(e)));");
        assertThat(String.valueOf(transcript).lines())
                .startsWith("room,epoch,offset,sent_at,sender,kind,text")
                .anyMatch(line -> line.endsWith(",pablo,chat,buenos días"));
    }

    @Test
    void aMessageToAQueueLightsExactlyOneConsumerAndToARoomBoth() throws Exception {
        CompletableFuture<Optional<QueueMessage>> anaPop =
                ana.queues().pop("tareas", Duration.ofSeconds(20));
        CompletableFuture<Optional<QueueMessage>> beaPop =
                bea.queues().pop("tareas", Duration.ofSeconds(20));
        BrokerViewPage view = new BrokerViewPage(browser).open(node.page());
        view.await(d -> view.boxFigure("queue", "tareas", "depth") == 0
                && view.edges().keySet().stream().filter(k -> k.startsWith("queue:")).count() == 2
                && view.parties("producer").size() == 1);
        String toAna = "conn:" + view.conn("ana");
        String toBea = "conn:" + view.conn("bea");
        BrokerViewPage.Edge queueToAna = view.edge("queue:tareas", toAna);
        BrokerViewPage.Edge queueToBea = view.edge("queue:tareas", toBea);

        pablo.queues().push("tareas", "pablo", "imprimir").get(10, TimeUnit.SECONDS);
        CompletableFuture.anyOf(anaPop, beaPop).get(10, TimeUnit.SECONDS);
        view.await(d -> view.edge("queue:tareas", toAna).total()
                + view.edge("queue:tareas", toBea).total() == 1
                && view.edge("queue:tareas", toAna).litCount()
                        + view.edge("queue:tareas", toBea).litCount()
                        == queueToAna.litCount() + queueToBea.litCount() + 1);

        boolean anaGotIt = anaPop.isDone();
        assertThat(beaPop.isDone()).isNotEqualTo(anaGotIt);
        BrokerViewPage.Edge lit = view.edge("queue:tareas", anaGotIt ? toAna : toBea);
        BrokerViewPage.Edge dark = view.edge("queue:tareas", anaGotIt ? toBea : toAna);
        BrokerViewPage.Edge darkBefore = anaGotIt ? queueToBea : queueToAna;
        assertThat(lit.total()).isEqualTo(1);
        assertThat(lit.label()).contains("queue tareas → " + (anaGotIt ? "ana" : "bea"))
                .contains("1 message");
        assertThat(dark.total()).isZero();
        assertThat(dark.litCount()).isEqualTo(darkBefore.litCount());

        BrokerViewPage.Edge roomToAna = view.edge("room:plaza", toAna);
        BrokerViewPage.Edge roomToBea = view.edge("room:plaza", toBea);
        publish("plaza", "¿alguien tiene un cargador?");
        view.await(d -> view.edge("room:plaza", toAna).litCount() == roomToAna.litCount() + 1
                && view.edge("room:plaza", toBea).litCount() == roomToBea.litCount() + 1);
        assertThat(view.edge("room:plaza", toAna).total()).isEqualTo(roomToAna.total() + 1);
        assertThat(view.edge("room:plaza", toBea).total()).isEqualTo(roomToBea.total() + 1);

        Files.createDirectories(IMAGES);
        browser.screenshot(IMAGES.resolve("broker-view.png"));
        assertThat(IMAGES.resolve("broker-view.png")).isNotEmptyFile();
        (anaGotIt ? beaPop : anaPop).cancel(true);
    }

    @Test
    void clickingARecentMessageListsItsHopsWithTimesThatNeverDecrease() throws Exception {
        BrokerViewPage view = new BrokerViewPage(browser).open(node.page());
        Message sent = publish("plaza", "¿a qué hora es la clase?");
        view.await(d -> view.recent().contains("plaza/" + sent.offset()));

        view.clickRecent("plaza", sent.offset());
        view.await(d -> view.hops().size() == 5);

        List<BrokerViewPage.Hop> hops = view.hops();
        assertThat(hops).extracting(BrokerViewPage.Hop::hop).containsExactly("client_sent",
                "node_accepted", "broker_stored", "delivered", "delivered");
        assertThat(hops).extracting(BrokerViewPage.Hop::at).allMatch(at -> at > 0).isSorted();
        assertThat(hops.get(2).at()).isEqualTo(sent.sentAt());
        assertThat(hops.get(0).text()).startsWith("Sent by pablo (by its own clock)");
        assertThat(hops.get(2).text()).contains("MemoryBroker append");
        assertThat(hops.subList(3, 5)).extracting(BrokerViewPage.Hop::text)
                .anyMatch(text -> text.startsWith("Delivered to ana"))
                .anyMatch(text -> text.startsWith("Delivered to bea"));
        assertThat(view.journeySubject()).isEqualTo("Message " + sent.offset()
                + " of #plaza, from pablo");
        ((JavascriptExecutor) browser.driver()).executeScript(
                "document.getElementById('journey').scrollIntoView({block: 'center'})");
        Files.createDirectories(IMAGES);
        browser.screenshot(IMAGES.resolve("broker-journey.png"));

        view.chooseLanguage("es");
        view.await(d -> view.hops().get(0).text().startsWith("Enviado por pablo"));
        view.chooseLanguage("en");
    }

    @Test
    void aMessageInTheChatLinksToItsJourneyWithTheBrowsersOwnTime() {
        ChatPage carla = new ChatPage(browser).openFresh(node.page()).enterName("carla")
                .openRoom("plaza");
        long before = System.currentTimeMillis();
        carla.send("hola desde el navegador");
        carla.await(d -> carla.texts().contains("hola desde el navegador"));
        String link = String.valueOf(carla.script("return [...document.querySelectorAll("
                + "'#messages .message')].pop().querySelector('a.message-journey').href"));
        String chat = browser.driver().getWindowHandle();

        browser.driver().switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        try {
            browser.driver().get(link);
            BrokerViewPage view = new BrokerViewPage(browser);
            view.await(d -> view.hops().size() == 6);
            List<BrokerViewPage.Hop> hops = view.hops();
            assertThat(hops.get(0).hop()).isEqualTo("client_sent");
            assertThat(hops.get(0).at()).isGreaterThanOrEqualTo(before);
            assertThat(hops).extracting(BrokerViewPage.Hop::at).isSorted();
            assertThat(hops.subList(3, 6)).extracting(BrokerViewPage.Hop::text)
                    .anyMatch(text -> text.startsWith("Delivered to carla"));
        } finally {
            browser.driver().close();
            browser.driver().switchTo().window(chat);
        }
    }

    @Test
    void sideBySideShowsAQueueSplittingTheMessagesAndARoomGivingEachConsumerAll() {
        BrokerViewPage view = new BrokerViewPage(browser).open(node.page());

        view.compare(25);
        view.await(d -> !view.compareError().isEmpty());
        assertThat(view.compareError()).isEqualTo("Choose from 1 to 20 messages.");

        view.compare(6);
        view.await(d -> view.compared("room").size() == 2);

        List<Integer> all = List.of(1, 2, 3, 4, 5, 6);
        assertThat(view.compared("room")).containsOnlyKeys("consumer-1", "consumer-2")
                .allSatisfy((consumer, got) -> assertThat(got).isEqualTo(all));
        Map<String, List<Integer>> queue = view.compared("queue");
        assertThat(queue).containsOnlyKeys("consumer-1", "consumer-2");
        assertThat(queue.values().stream().flatMap(List::stream).toList())
                .containsExactlyInAnyOrderElementsOf(all);
        assertThat(view.compareError()).isEmpty();
        browser.screenshot(IMAGES.resolve("broker-side-by-side.png"));
    }

    private Message publish(String room, String text) throws Exception {
        return pablo.rooms().publish(Publish.chat(room, "pablo", text)).get(10, TimeUnit.SECONDS);
    }
}
