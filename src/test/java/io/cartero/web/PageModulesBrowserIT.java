package io.cartero.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The page's modules that hold rules rather than screens, run in the browser as the page
 * runs them: when to reconnect, how messages are ordered and kept once, which language to
 * start in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NeedsChromium.class)
class PageModulesBrowserIT {
    private WebNode node;
    private Browser browser;
    @RegisterExtension
    final FailureRecorder failures = new FailureRecorder()
            .watch(() -> browser);

    @BeforeAll
    void start() {
        node = WebNode.inMemory();
        browser = Browser.start("en", 800, 600);
        browser.driver().get(node.page() + "i18n/en.json");
    }

    @AfterAll
    void stop() {
        ChatBrowserIT.closeQuietly(browser);
        ChatBrowserIT.closeQuietly(node);
    }

    @Test
    void backoffCeilingsDoubleFromAQuarterSecondUpToTenSeconds() {
        Object ceilings = run("backoff.js", "const top = () => 0.999999;"
                + "return [1, 2, 3, 4, 5, 6, 7, 8, 30].map(n => m.backoffDelay(n, top));");
        Object floors = run("backoff.js",
                "return [1, 5, 30].map(n => m.backoffDelay(n, () => 0));");

        assertThat(ceilings).isEqualTo(List.of(249L, 499L, 999L, 1999L, 3999L, 7999L, 9999L,
                9999L, 9999L));
        assertThat(floors).isEqualTo(List.of(0L, 0L, 0L));
    }

    @Test
    void messagesAreKeptOnceInOffsetOrderAndNoticesStayWhereTheyHappened() {
        Object shown = run("conversation.js",
                "const c = new m.Conversation('room', 'general');"
                + "const msg = (epoch, offset) => ({room: 'general', epoch, offset,"
                + "  sender: 'ana', text: epoch + offset, sent_at: 0, kind: 'chat'});"
                + "const added = [msg('e1', 2), msg('e1', 1), msg('e1', 2), msg('e1', 3)]"
                + "  .map(x => c.add(x) !== null);"
                + "c.advance(msg('e1', 3));"
                + "c.addNotice('notice.history_lost', ['general'], 'e2');"
                + "c.add(msg('e2', 1));"
                + "c.add(msg('e1', 4));"
                + "return {added, items: c.items.map(i => i.message ? i.message.text : 'lost'),"
                + "  oldest: c.oldestOffset()};");

        assertThat(shown).isEqualTo(Map.of(
                "added", List.of(true, true, false, true),
                "items", List.of("e11", "e12", "e13", "e14", "lost", "e21"),
                "oldest", 1L));
    }

    @Test
    void visibleTextEscapesWhatWouldActAndKeepsLineBreaksTabsAndOtherScripts() {
        Object shown = run("dom.js", "return ['\\u001B[2J', 'a\\u0007\\u007F\\u009B',"
                + " '\\u202Eevil\\u202C', '\\u2066x\\u2069\\u200F\\u061C', 'one\\r\\ntwo\\rthree',"
                + " 'tab\\there', 'ñandú שלום 你好 😀', '\\u2028\\u2029']"
                + ".map(m.visible);");

        assertThat(shown).isEqualTo(List.of("\\u001B[2J", "a\\u0007\\u007F\\u009B",
                "\\u202Eevil\\u202C", "\\u2066x\\u2069\\u200F\\u061C", "one\ntwo\\u000Dthree",
                "tab\there", "ñandú שלום 你好 😀", "\\u2028\\u2029"));
    }

    @Test
    void theResumePositionOnlyMovesForward() {
        Object position = run("conversation.js",
                "const c = new m.Conversation('direct', 'bea');"
                + "const msg = offset => ({epoch: 'e1', offset, kind: 'chat'});"
                + "c.advance(msg(5)); c.advance(msg(3)); c.advance(msg(6)); c.advance(msg(4));"
                + "return [c.position.epoch, c.position.offset, c.target().with];");

        assertThat(position).isEqualTo(List.of("e1", 6L, "bea"));
    }

    @Test
    void liveJoinsAndLeavesChangeTheMembersAndCountAsNewerThanAnyWhoReply() {
        Object members = run("conversation.js",
                "const c = new m.Conversation('room', 'general');"
                + "const msg = (kind, sender, offset) => ({epoch: 'e1', offset, kind, sender});"
                + "c.setMembers(new Set(['ana'])); c.membersFrom = {epoch: 'e1', offset: 4};"
                + "const before = c.membersVersion;"
                + "const old = c.applyPresence(msg('join', 'luis', 3));"
                + "const afterOld = c.membersVersion;"
                + "c.applyPresence(msg('join', 'bea', 5));"
                + "c.applyPresence(msg('leave', 'ana', 6));"
                + "return [old, afterOld - before, c.membersVersion - before, [...c.members]];");

        assertThat(members).isEqualTo(List.of(false, 0L, 2L, List.of("bea")));
    }

    @Test
    void typingShowsForFourSecondsAndNotWhenItsMessageAlreadyCame() {
        Object shown = run("conversation.js",
                "const c = new m.Conversation('room', 'general');"
                + "const early = c.typingSignal('bea', 10000);"
                + "const during = c.typingNames(13999);"
                + "const after = c.typingNames(14000);"
                + "c.typingSignal('bea', 20000); c.said('bea', 20500);"
                + "const cleared = c.typingNames(20500);"
                + "const overtaken = c.typingSignal('bea', 21000);"
                + "const next = c.typingSignal('bea', 21500);"
                + "return [early, during, after, cleared, overtaken, next, c.typingNames(21500)];");

        assertThat(shown).isEqualTo(List.of(true, List.of("bea"), List.of(), List.of(), false,
                true, List.of("bea")));
    }

    @Test
    void startsInTheRememberedLanguageElseTheBrowsersElseEnglish() {
        Object chosen = run("texts.js", "return ["
                + "m.preferredLanguage('en', ['es-ES']),"
                + "m.preferredLanguage(null, ['es-MX', 'en']),"
                + "m.preferredLanguage(null, ['fr-FR', 'es']),"
                + "m.preferredLanguage('de', ['pt-BR']),"
                + "m.preferredLanguage(null, [])];");

        assertThat(chosen).isEqualTo(List.of("en", "es", "es", "en", "en"));
    }

    /** Imports a module of the page as {@code m} and returns what {@code body} returns. */
    private Object run(String module, String body) {
        return ((JavascriptExecutor) browser.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + "import('/js/" + module + "').then(m => { " + body + " })"
                + ".then(done, error => done('failed: ' + error));");
    }
}
