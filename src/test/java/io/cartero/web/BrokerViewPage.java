package io.cartero.web;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The broker view page ({@code /broker}) as a person or a screen reader reads it: the
 * diagram's shapes by their data attributes and aria labels, the recent messages and the
 * journey list.
 */
final class BrokerViewPage {
    private final Browser browser;
    private final WebDriver driver;

    BrokerViewPage(Browser browser) {
        this.browser = browser;
        this.driver = browser.driver();
    }

    /** Opens the view and waits for its first picture. */
    BrokerViewPage open(String page) {
        driver.get(page + "broker");
        await(d -> "connected".equals(script("return document.getElementById('status')"
                + ".dataset.phase")) && !brokerState().isEmpty());
        return this;
    }

    /** The names of the producers (or consumers) drawn, in order. */
    List<String> parties(String side) {
        return strings("return [...document.querySelectorAll("
                + "'#diagram .party[data-side=\"' + arguments[0] + '\"]')]"
                + ".map(n => n.dataset.name)", side);
    }

    /** The aria labels of the producers (or consumers). */
    List<String> partyLabels(String side) {
        return strings("return [...document.querySelectorAll("
                + "'#diagram .party[data-side=\"' + arguments[0] + '\"]')]"
                + ".map(n => n.getAttribute('aria-label'))", side);
    }

    /** The connection id drawn for {@code name}. */
    String conn(String name) {
        return String.valueOf(script("return document.querySelector("
                + "'#diagram .party[data-name=\"' + arguments[0] + '\"]')?.dataset.conn ?? ''",
                name));
    }

    /** The broker's state: {@code ok}, {@code cut} or {@code unreachable}; empty if none. */
    String brokerState() {
        Object state = script("return document.querySelector('#diagram .broker')"
                + "?.dataset.state ?? ''");
        return String.valueOf(state);
    }

    String brokerLabel() {
        return String.valueOf(script("return document.querySelector('#diagram .broker')"
                + ".getAttribute('aria-label')"));
    }

    /** The label of a room or queue box, or empty. */
    String boxLabel(String kind, String name) {
        return String.valueOf(script("return document.querySelector('#diagram .box[data-kind=\""
                + kind + "\"][data-name=\"' + arguments[0] + '\"]')?.getAttribute('aria-label')"
                + " ?? ''", name));
    }

    /** A box's data attribute ({@code depth}, {@code length}), or -2 if there is no box. */
    long boxFigure(String kind, String name, String figure) {
        Object value = script("const n = document.querySelector('#diagram .box[data-kind=\""
                + kind + "\"][data-name=\"' + arguments[0] + '\"]'); return n ? "
                + "Number(n.dataset[arguments[1]]) : -2", name, figure);
        return ((Number) value).longValue();
    }

    /**
     * Each edge drawn, by {@code from>to}: its total, how many times it lit, whether it is lit
     * now and its aria label.
     */
    Map<String, Edge> edges() {
        List<?> raw = (List<?>) script("return [...document.querySelectorAll('#diagram .edge')]"
                + ".map(n => [n.dataset.key, Number(n.dataset.total), Number(n.dataset.litCount),"
                + " n.dataset.lit === 'true', n.getAttribute('aria-label')])");
        Map<String, Edge> edges = new java.util.TreeMap<>();
        for (Object item : raw) {
            List<?> row = (List<?>) item;
            edges.put(String.valueOf(row.get(0)), new Edge(((Number) row.get(1)).longValue(),
                    ((Number) row.get(2)).longValue(), Boolean.TRUE.equals(row.get(3)),
                    String.valueOf(row.get(4))));
        }
        return edges;
    }

    /** An edge's figures; a missing edge counts as never lit with nothing through it. */
    Edge edge(String from, String to) {
        return edges().getOrDefault(from + ">" + to, new Edge(0, 0, false, ""));
    }

    /** The recent messages listed, as {@code room/offset}. */
    List<String> recent() {
        return strings("return [...document.querySelectorAll('#recent button')]"
                + ".map(b => b.dataset.room + '/' + b.dataset.offset)");
    }

    void clickRecent(String room, long offset) {
        script("document.querySelector('#recent button[data-room=\"' + arguments[0] + '\"]"
                + "[data-offset=\"' + arguments[1] + '\"]').click()", room, String.valueOf(offset));
    }

    /** The hops of the journey shown: their kind, time (-1 if none) and text. */
    List<Hop> hops() {
        List<?> raw = (List<?>) script("return [...document.querySelectorAll('#hops li')]"
                + ".map(li => [li.dataset.hop, li.dataset.at === '' ? -1 : Number(li.dataset.at),"
                + " li.textContent])");
        return raw.stream().map(item -> (List<?>) item)
                .map(row -> new Hop(String.valueOf(row.get(0)), ((Number) row.get(1)).longValue(),
                        String.valueOf(row.get(2))))
                .toList();
    }

    String journeySubject() {
        return String.valueOf(script("return document.getElementById('journey-subject')"
                + ".textContent"));
    }

    /** Runs the side-by-side panel with {@code count} messages. */
    void compare(int count) {
        script("const input = document.getElementById('compare-count'); input.value = "
                + "arguments[0]; document.getElementById('compare-button').click()",
                String.valueOf(count));
    }

    /**
     * What each consumer of one side ({@code queue} or {@code room}) got, as shown: consumer
     * name to the numbers in its chips, in order.
     */
    Map<String, List<Integer>> compared(String kind) {
        List<?> raw = (List<?>) script("return [...document.querySelectorAll("
                + "'#compare-result [data-kind=\"' + arguments[0] + '\"] li')].map(li => "
                + "[li.dataset.consumer, [...li.querySelectorAll('.chip')]"
                + ".map(c => Number(c.textContent))])", kind);
        Map<String, List<Integer>> shares = new java.util.TreeMap<>();
        for (Object item : raw) {
            List<?> row = (List<?>) item;
            shares.put(String.valueOf(row.get(0)), ((List<?>) row.get(1)).stream()
                    .map(n -> ((Number) n).intValue()).toList());
        }
        return shares;
    }

    String compareError() {
        return String.valueOf(script("return document.getElementById('compare-error')"
                + ".textContent"));
    }

    /** Uses the operator panel: types the token (and a name), clicks {@code action}. */
    void operate(String token, String name, String action) {
        script("document.getElementById('operator-token').value = arguments[0];"
                + "document.getElementById('operator-name').value = arguments[1];"
                + "document.getElementById('operator-result').textContent = '';"
                + "document.querySelector('#operator-form button[data-action=\"'"
                + " + arguments[2] + '\"]').click()", token, name, action);
    }

    /** What the operator panel says about the last control, once it has answered. */
    String operatorResult() {
        return String.valueOf(script("const r = document.getElementById('operator-result');"
                + " return r.dataset.state === 'waiting' ? '' : r.textContent"));
    }

    /** Whether the party drawn for {@code name} is shown paused. */
    boolean paused(String name) {
        return Boolean.TRUE.equals(script("return document.querySelector("
                + "'#diagram .party[data-name=\"' + arguments[0] + '\"]')?.dataset.paused"
                + " === 'true'", name));
    }

    String nodeLine() {
        return String.valueOf(script("return document.getElementById('node-line')"
                + ".textContent"));
    }

    void chooseLanguage(String lang) {
        script("document.querySelector('button[data-lang=\"' + arguments[0] + '\"]').click()",
                lang);
    }

    Browser browser() {
        return browser;
    }

    <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, ChatPage.WAIT)
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    Object script(String code, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(code, args);
    }

    private List<String> strings(String code, Object... args) {
        return ((List<?>) script(code, args)).stream().map(String::valueOf).toList();
    }

    /** One edge as drawn. */
    record Edge(long total, long litCount, boolean lit, String label) {
    }

    /** One hop of a journey as listed; {@code at} is -1 when the hop has no time. */
    record Hop(String hop, long at, String text) {
    }
}
