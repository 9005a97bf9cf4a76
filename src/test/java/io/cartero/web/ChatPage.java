package io.cartero.web;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page as a person uses it: typing, clicking and reading what is on the screen.
 * Reading goes through the DOM the person sees (text content, visible elements).
 */
final class ChatPage {
    /** A generous bound for liveness on a busy machine, never a speed requirement. */
    static final Duration WAIT = Duration.ofSeconds(20);

    /** One chat line as shown: who wrote it and what. */
    record Line(String sender, String text) {
    }

    private final Browser browser;
    private final WebDriver driver;

    ChatPage(Browser browser) {
        this.browser = browser;
        this.driver = browser.driver();
    }

    Browser browser() {
        return browser;
    }

    /** Opens the page as a first visit: nothing remembered from earlier tests. */
    ChatPage openFresh(String url) {
        driver.get(url + "i18n/en.json");
        script("localStorage.clear();");
        driver.get(url);
        await(d -> visible("name-screen"));
        return this;
    }

    /** Types a name on the name screen and waits for the chat to be on screen. */
    ChatPage enterName(String name) {
        type("name-input", name + Keys.ENTER);
        await(d -> visible("chat") && "connected".equals(statusPhase()));
        return this;
    }

    /** Joins (or creates) a room with the side form and waits until it is joined. */
    ChatPage openRoom(String room) {
        type("new-room-input", room + Keys.ENTER);
        await(d -> ("#" + room).equals(title()) && members().size() > 0);
        return this;
    }

    /** Opens the direct conversation with {@code name} by typing it in the side form. */
    ChatPage openDirect(String name) {
        type("new-direct-input", name + Keys.ENTER);
        await(d -> name.equals(title()));
        return this;
    }

    void send(String text) {
        type("composer-input", text + Keys.ENTER);
    }

    /** Types into a field as a person at the keyboard does ({@code Keys.ENTER} submits). */
    void typeInto(String id, CharSequence text) {
        type(id, text);
    }

    /** Types without sending. */
    void typeInComposer(String text) {
        type("composer-input", text);
    }

    void click(String id) {
        driver.findElement(By.id(id)).click();
    }

    /**
     * Activates a button as the keyboard or a screen reader does, where it is, without the
     * scrolling that a pointer's click would first do to bring it into view.
     */
    void press(String id) {
        script("document.getElementById(arguments[0]).click();", id);
    }

    /** Clicks a conversation in the side list: {@code room:NAME} or {@code direct:NAME}. */
    void clickConversation(String key) {
        await(d -> {
            conversationButton(key).click();
            return true;
        });
        await(d -> key.equals(string("return document.querySelector("
                + "'#sidebar .conversation-button.active')?.dataset.key ?? ''")));
    }

    /** Clicks a name in the member list. */
    void clickMember(String name) {
        await(d -> {
            WebElement button = driver.findElement(By.cssSelector(
                    "#member-list [data-name='" + name + "'] .member-button"));
            button.click();
            return true;
        });
    }

    /** The chat lines of the open conversation, oldest first (not the ones still waiting). */
    List<Line> lines() {
        List<?> raw = (List<?>) script("return [...document.querySelectorAll("
                + "'#messages li.message')].map(li => [li.dataset.sender,"
                + " li.querySelector('.message-text').textContent]);");
        return raw.stream().map(pair -> (List<?>) pair)
                .map(pair -> new Line((String) pair.get(0), (String) pair.get(1)))
                .toList();
    }

    List<String> texts() {
        return lines().stream().map(Line::text).toList();
    }

    /** The offsets of the chat lines shown, as the page received them. */
    List<Long> offsets() {
        List<?> raw = (List<?>) script("return [...document.querySelectorAll("
                + "'#messages li.message')].map(li => Number(li.dataset.offset));");
        return raw.stream().map(value -> ((Number) value).longValue()).toList();
    }

    /** Lines written here that wait for the connection or their acknowledgement. */
    List<String> waitingTexts() {
        return strings("return [...document.querySelectorAll('#pending li .message-text')]"
                + ".map(p => p.textContent);");
    }

    /** The quiet lines: joins, leaves and notices. */
    List<String> quietLines() {
        return strings("return [...document.querySelectorAll('#messages li.event > span,"
                + " #messages li.notice')].map(node => node.textContent);");
    }

    List<String> members() {
        return strings("return [...document.querySelectorAll('#member-list .member-name')]"
                + ".map(node => node.textContent);");
    }

    /** The names in the member list, without the words that mark one's own. */
    List<String> memberNames() {
        return strings("return [...document.querySelectorAll('#member-list [data-name]')]"
                + ".map(node => node.dataset.name);");
    }

    /** The unread count shown next to a conversation, 0 when none is shown. */
    int unread(String key) {
        String badge = string("const button = [...document.querySelectorAll("
                + "'#sidebar [data-key]')].find(b => b.dataset.key === arguments[0]);"
                + " if (!button) { throw new Error('no conversation ' + arguments[0]); }"
                + " const badge = button.querySelector('.badge');"
                + " return badge && badge.checkVisibility() ? badge.textContent : '0';", key);
        return Integer.parseInt(badge.trim());
    }

    /** The conversations of the side list, as keys such as {@code room:general}. */
    List<String> conversations() {
        return strings("return [...document.querySelectorAll("
                + "'#room-list [data-key], #direct-list [data-key]')].map(b => b.dataset.key);");
    }

    String title() {
        return text("conversation-title");
    }

    String status() {
        return text("status-text");
    }

    String statusPhase() {
        return string("return document.getElementById('status').dataset.phase;");
    }

    String typingLine() {
        return text("typing");
    }

    String text(String id) {
        return string("return document.getElementById(arguments[0]).textContent.trim();", id);
    }

    /** Whether the element is rendered and not hidden by {@code visibility} (panels are). */
    boolean visible(String id) {
        return Boolean.TRUE.equals(script("const node = document.getElementById(arguments[0]);"
                + " return !!node && node.checkVisibility({visibilityProperty: true});", id));
    }

    String pageTitle() {
        return driver.getTitle();
    }

    void scrollMessagesToTop() {
        script("document.getElementById('scroller').scrollTop = 0;");
    }

    /**
     * Waits, up to {@link #WAIT}, for a condition on the page. An element that the page drew
     * again while the condition looked at it counts as not yet.
     */
    <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT)
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    Object script(String code, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(code, args);
    }

    private String string(String code, Object... args) {
        Object value = script(code, args);
        return value == null ? "" : value.toString();
    }

    private List<String> strings(String code) {
        return ((List<?>) script(code)).stream().map(String::valueOf).toList();
    }

    private WebElement conversationButton(String key) {
        return driver.findElement(By.cssSelector("#sidebar [data-key='" + key + "']"));
    }

    private void type(String id, CharSequence text) {
        WebElement field = driver.findElement(By.id(id));
        field.sendKeys(text);
    }
}
