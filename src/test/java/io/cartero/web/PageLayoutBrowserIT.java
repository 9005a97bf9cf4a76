package io.cartero.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.Recorder;
import io.cartero.client.NodeClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The page on a phone screen and with the keyboard alone, and the screenshots the README
 * shows, taken from a real conversation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NeedsChromium.class)
class PageLayoutBrowserIT {
    /**
     * Where the screenshots go: under target/ unless {@code -Dcartero.screenshots=docs/img}
     * asks for the README's own, so an ordinary build leaves the working tree as it was.
     */
    private static final Path IMAGES = Path.of(
            System.getProperty("cartero.screenshots", "target/screenshots"));

    private WebNode node;
    private Browser first;
    private Browser second;
    @RegisterExtension
    final FailureRecorder failures = new FailureRecorder()
            .watch(() -> first)
            .watch(() -> second);

    @BeforeAll
    void startBrowsers() {
        first = Browser.start("en", 1280, 800);
        second = Browser.start("en", 1280, 800);
    }

    /** A node of its own for each test, so the screenshots show only their conversation. */
    @BeforeEach
    void startNode() {
        node = WebNode.inMemory();
    }

    @AfterEach
    void stopNode() {
        ChatBrowserIT.closeQuietly(node);
    }

    @AfterAll
    void stopBrowsers() {
        ChatBrowserIT.closeQuietly(first);
        ChatBrowserIT.closeQuietly(second);
    }

    @Test
    void aPhoneShowsOneColumnWithTheConversationsBehindAButton() {
        first.resize(390, 844, true);
        try {
            ChatPage page = new ChatPage(first).openFresh(node.page()).enterName("telefono");

            assertThat(page.visible("sidebar")).isFalse();
            assertThat(page.visible("rooms-button")).isTrue();
            assertThat(page.visible("composer-input")).isTrue();
            assertThat(page.script("return document.documentElement.scrollWidth"))
                    .isEqualTo(390L);

            page.click("rooms-button");
            page.await(d -> page.visible("sidebar"));
            new Actions(first.driver()).sendKeys(Keys.ESCAPE).perform();
            page.await(d -> !page.visible("sidebar"));
            assertThat(activeId(first.driver())).isEqualTo("rooms-button");

            page.click("rooms-button");
            page.await(d -> page.visible("new-room-input"));
            page.openRoom("movil");
            page.await(d -> !page.visible("sidebar"));
            page.send("desde el teléfono");
            page.await(d -> page.texts().equals(List.of("desde el teléfono")));
        } finally {
            first.resize(1280, 800, false);
        }
    }

    @Test
    void worksWithTheKeyboardAlone() {
        ChatPage page = new ChatPage(first).openFresh(node.page());
        WebDriver driver = first.driver();
        assertThat(activeId(driver)).isEqualTo("name-input");
        keys(driver, "teclado", Keys.ENTER);
        page.await(d -> page.visible("chat") && "connected".equals(page.statusPhase()));
        page.await(d -> page.members().contains("teclado (you)"));

        assertThat(activeId(driver)).isEqualTo("composer-input");
        keys(driver, "first line");
        withShift(driver, Keys.ENTER);
        keys(driver, "second line", Keys.ENTER);
        page.await(d -> page.texts().equals(List.of("first line\nsecond line")));

        keys(driver, Keys.TAB);
        assertThat(activeId(driver)).isEqualTo("send-button");
        assertThat(page.script("return getComputedStyle(document.activeElement).outlineStyle"))
                .isNotEqualTo("none");
        withShift(driver, Keys.TAB);
        withShift(driver, Keys.TAB);
        assertThat(activeId(driver)).isIn("scroller", "load-older");
    }

    @Test
    void savesScreenshotsOfARealConversation() throws Exception {
        NodeClient luis = node.client("luis");
        NodeClient marta = node.client("marta");
        luis.rooms().subscribe("general", Position.now(), new Recorder()).get(10, TimeUnit.SECONDS);
        marta.rooms().subscribe("general", Position.now(), new Recorder())
                .get(10, TimeUnit.SECONDS);
        publish(marta, "proyecto-final", "Draft of the report is in the shared folder.");
        ChatPage ana = new ChatPage(first).openFresh(node.page()).enterName("ana")
                .openRoom("lab-redes").openRoom("general");
        ChatPage pablo = new ChatPage(second).openFresh(node.page()).enterName("pablo")
                .openRoom("general");

        publish(luis, "general", "Morning! Is the projector in room 2 working again?");
        publish(marta, "general", "Yes, I tried it at eight. The HDMI cable is in the drawer.");
        ana.send("Great, thanks. I'll bring the slides on a USB stick too, just in case.");
        ana.send("Are we still starting at 10:15?");
        ana.await(d -> ana.texts().size() == 4);
        publish(luis, "general", "Yes, 10:15. Whoever arrives first, open the windows please.");
        publish(marta, "general", "Who is ordering lunch? I can take the list.");
        publish(luis, "lab-redes", "Switch 3 is back: the whole lab has network again.");
        publish(luis, "lab-redes", "Ping me if a machine still gets no address.");
        pablo.openDirect("ana");
        pablo.send("Can you send me yesterday's notes when you have a minute?");
        pablo.clickConversation("room:general");
        ana.await(d -> ana.texts().size() == 6 && ana.unread("direct:pablo") == 1
                && ana.unread("room:lab-redes") == 2);
        pablo.typeInComposer("Me! Pizza again?");
        ana.await(d -> ana.typingLine().equals("pablo is typing…"));

        Files.createDirectories(IMAGES);
        first.screenshot(IMAGES.resolve("web-chat.png"));
        first.resize(390, 844, true);
        try {
            ana.await(d -> ana.visible("rooms-button") && !ana.visible("sidebar")
                    && !ana.visible("members-panel"));
            first.screenshot(IMAGES.resolve("web-chat-phone.png"));
        } finally {
            first.resize(1280, 800, false);
        }
        assertThat(IMAGES.resolve("web-chat.png")).isNotEmptyFile();
        assertThat(IMAGES.resolve("web-chat-phone.png")).isNotEmptyFile();
    }

    private static void publish(NodeClient client, String room, String text) throws Exception {
        client.rooms().publish(Publish.chat(room, client.name(), text)).get(10, TimeUnit.SECONDS);
    }

    private static void keys(WebDriver driver, CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    /** Presses {@code key} while Shift is held down. */
    private static void withShift(WebDriver driver, Keys key) {
        new Actions(driver).keyDown(Keys.SHIFT).sendKeys(key).keyUp(Keys.SHIFT).perform();
    }

    private static String activeId(WebDriver driver) {
        Object id = ((JavascriptExecutor) driver)
                .executeScript("return document.activeElement?.id ?? ''");
        return String.valueOf(id);
    }
}
