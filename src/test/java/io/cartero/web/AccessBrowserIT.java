package io.cartero.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.node.Guards;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The page on a node that asks for a password or token: the address that {@code server
 * --token} prints lets the browser in and leaves the address bar without the token; without
 * one the page asks for it, says why a wrong one was refused, and lets the right one in. A
 * node that closes for too many connections or for the rate is reconnected to after a pause,
 * and the page says why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NeedsChromium.class)
class AccessBrowserIT {
    /** A token with characters that must be URL-encoded on the way to the node. */
    private static final String TOKEN = "k3y+with/odd=chars&more";
    private static final String PASSWORD = "ábrete sésamo";

    private WebNode node;
    private Browser english;
    private Browser spanish;
    @RegisterExtension
    final FailureRecorder failures = new FailureRecorder()
            .watch(() -> english)
            .watch(() -> spanish);

    @BeforeAll
    void startBrowsers() {
        english = Browser.start("en", 1280, 800);
        spanish = Browser.start("es", 1280, 800);
    }

    @AfterEach
    void stopNode() {
        ChatBrowserIT.closeQuietly(node);
    }

    @AfterAll
    void stopBrowsers() {
        ChatBrowserIT.closeQuietly(english);
        ChatBrowserIT.closeQuietly(spanish);
    }

    @Test
    void theAddressWithTheTokenJoinsAndTheAddressBarNoLongerHoldsIt() {
        node = WebNode.inMemory(Guards.defaults().withSecret(TOKEN));
        ChatPage page = new ChatPage(english);

        openFirstVisit(page, node.page() + "?token="
                + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8) + "#general");
        assertThat(english.driver().getCurrentUrl()).isEqualTo(node.page() + "#general");
        page.enterName("ana").openRoom("general");

        english.driver().navigate().refresh();
        page.await(d -> page.visible("chat") && "connected".equals(page.statusPhase()));
        assertThat(english.driver().getCurrentUrl()).doesNotContain("token")
                .doesNotContain("k3y");
        assertThat(page.memberNames()).contains("ana");
    }

    @Test
    void theBrokerViewReachedFromTheChatUsesTheTokenForItsSocketAndItsExports() {
        node = WebNode.inMemory(Guards.defaults().withSecret(TOKEN));
        ChatPage page = new ChatPage(english);
        openFirstVisit(page, node.page() + "?token="
                + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8) + "#general");
        page.enterName("ana").openRoom("general");

        english.driver().findElement(By.id("broker-link")).click();
        page.await(d -> d.getCurrentUrl().endsWith("/broker")
                && "connected".equals(page.statusPhase()));

        String encoded = "token=" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8);
        for (String id : List.of("export-view-json", "export-view-csv", "export-room-json",
                "export-room-csv")) {
            assertThat(english.driver().findElement(By.id(id)).getAttribute("href"))
                    .as(id).contains("/export/").endsWith(encoded);
        }
    }

    @Test
    void withoutTheTokenThePageAsksRefusesAWrongOneAndLetsTheRightOneIn() {
        node = WebNode.inMemory(Guards.defaults().withSecret(TOKEN));
        ChatPage page = new ChatPage(english);
        openFirstVisit(page, node.page());

        page.typeInto("name-input", "bea" + Keys.ENTER);
        page.await(d -> page.visible("access-screen"));
        assertThat(page.text("access-error"))
                .isEqualTo("This server lets in only those who give its password or access"
                        + " token.");
        assertThat(page.script("return document.activeElement.id;")).isEqualTo("access-input");
        assertThat(page.text("access-screen")).contains("Password or access token");

        page.typeInto("access-input", "not-the-token" + Keys.ENTER);
        page.await(d -> page.text("access-error").startsWith("The server refused that"));
        assertThat(page.text("access-error")).contains("missing or wrong");
        assertThat(page.visible("chat")).isFalse();

        page.typeInto("access-input", TOKEN + Keys.ENTER);
        page.await(d -> page.visible("chat") && "connected".equals(page.statusPhase()));
        assertThat(page.visible("access-screen")).isFalse();
        assertThat(page.text("me-name")).isEqualTo("bea");
    }

    @Test
    void aNodeWithAPasswordAsksForItInTheBrowsersLanguage() {
        node = WebNode.inMemory(Guards.defaults().withSecret(PASSWORD));
        ChatPage page = new ChatPage(spanish);
        openFirstVisit(page, node.page());

        page.typeInto("name-input", "carla" + Keys.ENTER);
        page.await(d -> page.visible("access-screen"));
        assertThat(page.text("access-screen")).contains("Contraseña o token de acceso");
        assertThat(page.text("access-error")).isEqualTo("Este servidor deja entrar solo a quien"
                + " da su contraseña o token de acceso.");

        page.typeInto("access-input", PASSWORD + Keys.ENTER);
        page.await(d -> page.visible("chat") && "connected".equals(page.statusPhase()));
        assertThat(page.text("status-text")).isEqualTo("Conectado");
    }

    @Test
    void tooManyConnectionsFromTheComputerIsShownAndTheLinkComesBackWhenOneCloses() {
        node = WebNode.inMemory(Guards.defaults().withLimits(Guards.PROTOCOL_MAX_TEXT, 100, 1,
                500, 1_000));
        node.client("terminal");
        ChatPage page = new ChatPage(english);
        openFirstVisit(page, node.page());

        page.typeInto("name-input", "dani" + Keys.ENTER);
        page.await(d -> page.status().contains("Too many connections from this computer"));
        assertThat(page.statusPhase()).isEqualTo("reconnecting");

        node.closeClients();
        page.await(d -> page.visible("chat") && "connected".equals(page.statusPhase()));
    }

    @Test
    void aConnectionClosedForTheRateSaysSoAndIsNotGivenUp() {
        node = WebNode.inMemory(Guards.defaults().withLimits(Guards.PROTOCOL_MAX_TEXT, 100, 100,
                1, 1).withMaxRateRefusals(1));
        ChatPage page = new ChatPage(english);
        openFirstVisit(page, node.page());

        page.typeInto("name-input", "eva" + Keys.ENTER);
        page.await(d -> page.status().contains("because this page sent too fast"));
        assertThat(page.statusPhase()).isEqualTo("reconnecting");
        assertThat(page.visible("access-screen")).isFalse();
    }

    /** Opens {@code url} in a tab that remembers nothing of this node's earlier visits. */
    private static void openFirstVisit(ChatPage page, String url) {
        String origin = url.substring(0, url.indexOf('/', "http://".length()) + 1);
        page.browser().driver().get(origin + "i18n/en.json");
        page.script("localStorage.clear(); sessionStorage.clear();");
        page.browser().driver().get(url);
        page.await(d -> page.visible("name-screen"));
    }
}
