package io.cartero.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.Recorder;
import io.cartero.client.NodeClient;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.web.ChatPage.Line;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The page in two real browsers against a real node, with a terminal program's client in the
 * same rooms: messages both ways, markup shown as text, history paging, unread counts,
 * direct conversations, presence and typing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NeedsChromium.class)
class ChatBrowserIT {
    private WebNode node;
    private Browser first;
    private Browser second;
    @RegisterExtension
    final FailureRecorder failures = new FailureRecorder()
            .watch(() -> first)
            .watch(() -> second);
    private ChatPage ana;
    private ChatPage bea;

    @BeforeAll
    void startBrowsers() {
        first = Browser.start("en", 1280, 800);
        second = Browser.start("en", 1280, 800);
    }

    /** A node of its own for each test: names, rooms and direct conversations start empty. */
    @BeforeEach
    void startNodeAndOpenThePages() {
        node = WebNode.inMemory();
        ana = new ChatPage(first).openFresh(node.page());
        bea = new ChatPage(second).openFresh(node.page());
    }

    @AfterEach
    void stopNode() {
        closeQuietly(node);
    }

    @AfterAll
    void stopBrowsers() {
        closeQuietly(first);
        closeQuietly(second);
    }

    @Test
    void twoBrowsersAndATerminalClientSeeEachOther() throws Exception {
        ana.enterName("ana").openRoom("plaza");
        bea.enterName("bea").openRoom("plaza");
        NodeClient terminal = node.client("carlos");
        Recorder heard = new Recorder();
        terminal.rooms().subscribe("plaza", Position.now(), heard).get(10, TimeUnit.SECONDS);

        ana.send("hola, soy ana");
        ana.await(d -> ana.texts().contains("hola, soy ana"));
        bea.send("hola ana, aquí bea");
        bea.await(d -> bea.texts().contains("hola ana, aquí bea"));
        terminal.rooms().publish(Publish.chat("plaza", "carlos", "y yo desde la terminal"))
                .get(10, TimeUnit.SECONDS);

        List<Line> expected = List.of(new Line("ana", "hola, soy ana"),
                new Line("bea", "hola ana, aquí bea"),
                new Line("carlos", "y yo desde la terminal"));
        for (ChatPage page : List.of(ana, bea)) {
            page.await(d -> page.lines().equals(expected));
            page.await(d -> page.memberNames().equals(List.of("ana", "bea", "carlos")));
        }
        await().atMost(ChatPage.WAIT).until(() -> chats(heard).size() == 3);
        assertThat(chats(heard)).extracting(Message::sender, Message::text).containsExactly(
                tuple("ana", "hola, soy ana"),
                tuple("bea", "hola ana, aquí bea"),
                tuple("carlos", "y yo desde la terminal"));
    }

    @Test
    void markupInNamesAndMessagesShowsAsTextAndRunsNothing() throws Exception {
        String name = "<b>eve</b>";
        String image = "<img src=x onerror=alert(1)>";
        String script = "<script>alert(2)</script> & <i>x</i>";
        try (RequestTap tap = new RequestTap(node.port())) {
            ChatPage eve = new ChatPage(first).openFresh(tap.page());
            eve.enterName(name).openRoom("markup");
            bea.enterName("bea").openRoom("markup");

            eve.send(image);
            eve.send(script);

            for (ChatPage page : List.of(eve, bea)) {
                page.await(d -> page.lines().equals(List.of(new Line(name, image),
                        new Line(name, script))));
                assertThat(page.memberNames()).contains(name);
                assertThat(page.script("return document.querySelectorAll("
                        + "'#chat img, #chat script, #chat b, #chat i').length;")).isEqualTo(0L);
                assertThat(page.browser().alertOpen()).isFalse();
            }
            String requests = tap.sent();
            assertThat(requests).contains("GET / HTTP/1.1", "GET /js/main.js HTTP/1.1",
                    "GET /ws HTTP/1.1");
            assertThat(requests).doesNotContain("GET /x ");
        }
        assertThat(first.consoleLines()).noneMatch(line -> line.contains("Content Security"));
    }

    @Test
    void escapesAndBidirectionalOverridesFromOthersShowAsEscapesLikeInTheTerminal()
            throws Exception {
        ana.enterName("ana").openRoom("raro");
        NodeClient terminal = node.client("mallory");
        String hostile = "\u001B[31mrojo\u001B[0m \u001B]0;title\u0007 \u202Eabc\u2069"
                + " \u0085\r\nsecond\tline";

        terminal.rooms().publish(Publish.chat("raro", "mallory", hostile))
                .get(10, TimeUnit.SECONDS);

        ana.await(d -> ana.texts().size() == 1);
        assertThat(ana.texts().get(0)).isEqualTo("\\u001B[31mrojo\\u001B[0m"
                + " \\u001B]0;title\\u0007 \\u202Eabc\\u2069 \\u0085\nsecond\tline");
    }

    @Test
    void thePageIsServedUnderAPolicyThatForbidsInlineScript() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(node.page())).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("script-src 'self'", "style-src 'self'", "connect-src 'self'")
                .doesNotContain("unsafe-inline");
        assertThat(page.body()).doesNotContain("style=\"").doesNotContain("onclick")
                .doesNotContain("<script>");
        ana.enterName("ana");
        assertThat(ana.statusPhase()).isEqualTo("connected");
    }

    @Test
    void olderMessagesLoadWithTheButtonAndByScrollingToTheTop() throws Exception {
        NodeClient terminal = node.client("archivero");
        for (int i = 0; i < 120; i++) {
            terminal.rooms().publish(Publish.chat("archivo", "archivero", "m" + i))
                    .get(10, TimeUnit.SECONDS);
        }
        ana.enterName("ana").openRoom("archivo");
        ana.await(d -> ana.texts().size() == 50);
        assertThat(ana.texts()).first().isEqualTo("m70");

        ana.scrollMessagesToTop();
        ana.await(d -> ana.texts().size() == 100);
        ana.press("load-older");
        ana.await(d -> ana.texts().size() == 120);

        assertThat(ana.texts()).containsExactlyElementsOf(
                IntStream.range(0, 120).mapToObj(i -> "m" + i).toList());
        assertThat(ana.offsets()).isSorted().doesNotHaveDuplicates();
        ana.await(d -> ana.visible("history-start") && !ana.visible("load-older"));
        assertThat(ana.text("history-start")).isEqualTo("This is the beginning of #archivo.");
    }

    @Test
    void unreadCountsGrowInTheBackgroundAndClearWhenOpened() throws Exception {
        ana.enterName("ana").openRoom("ruido").openRoom("calma");
        NodeClient terminal = node.client("dario");

        for (String text : List.of("uno", "dos", "tres")) {
            terminal.rooms().publish(Publish.chat("ruido", "dario", text))
                    .get(10, TimeUnit.SECONDS);
        }

        ana.await(d -> ana.unread("room:ruido") == 3);
        assertThat(ana.unread("room:calma")).isZero();
        ana.await(d -> ana.pageTitle().equals("(3) Cartero"));
        ana.clickConversation("room:ruido");
        ana.await(d -> ana.texts().equals(List.of("uno", "dos", "tres")));
        assertThat(ana.unread("room:ruido")).isZero();
        ana.await(d -> ana.pageTitle().equals("Cartero"));
    }

    @Test
    void membersComeAndGoLiveAndTypingIsShown() {
        ana.enterName("ana").openRoom("sala");
        bea.enterName("bea").openRoom("sala");

        ana.await(d -> ana.members().equals(List.of("ana (you)", "bea")));
        ana.await(d -> ana.quietLines().contains("bea joined"));
        bea.typeInComposer("estoy escribiendo");
        ana.await(d -> ana.typingLine().equals("bea is typing…"));

        bea.click("leave-button");
        ana.await(d -> ana.members().equals(List.of("ana (you)")));
        ana.await(d -> ana.quietLines().contains("bea left"));
    }

    @Test
    void directMessagesReachOnlyTheTwoPeople() throws Exception {
        ana.enterName("ana").openRoom("pasillo");
        bea.enterName("bea").openRoom("pasillo");
        NodeClient terminal = node.client("elena");
        Recorder room = new Recorder();
        terminal.rooms().subscribe("pasillo", Position.now(), room).get(10, TimeUnit.SECONDS);
        ana.await(d -> ana.members().contains("bea"));

        ana.clickMember("bea");
        ana.await(d -> ana.title().equals("bea"));
        ana.send("solo para ti");

        bea.await(d -> bea.conversations().contains("direct:ana"));
        bea.await(d -> bea.unread("direct:ana") == 1);
        bea.clickConversation("direct:ana");
        bea.await(d -> bea.texts().equals(List.of("solo para ti")));
        bea.send("recibido");
        ana.await(d -> ana.texts().equals(List.of("solo para ti", "recibido")));

        terminal.rooms().publish(Publish.chat("pasillo", "elena", "fin")).get(10,
                TimeUnit.SECONDS);
        await().atMost(ChatPage.WAIT).until(() -> chats(room).stream()
                .anyMatch(message -> message.text().equals("fin")));
        bea.clickConversation("room:pasillo");
        bea.await(d -> bea.texts().contains("fin"));
        assertThat(bea.texts()).doesNotContain("solo para ti", "recibido");
        assertThat(room.messages()).extracting(Message::text)
                .doesNotContain("solo para ti", "recibido");
    }

    private static List<Message> chats(Recorder recorder) {
        return recorder.messages().stream().filter(m -> m.kind() == Kind.CHAT).toList();
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            System.out.println("closing " + closeable + " failed: " + e);
        }
    }
}
