package io.cartero.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.cli.PicocliKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.ChoiceFormat;
import java.text.Format;
import java.text.MessageFormat;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The page in Spanish and in English: it follows the browser's language, switches when asked
 * and remembers the choice, and says things with the terminal programs' own texts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NeedsChromium.class)
class LanguageBrowserIT {
    private static final int[] SAMPLE_NUMBERS = {0, 1, 2, 7, 42};

    private final Properties english = bundle("/i18n/messages.properties");
    private final Properties spanish = bundle("/i18n/messages_es.properties");
    private WebNode node;
    private Browser browser;
    @RegisterExtension
    final FailureRecorder failures = new FailureRecorder()
            .watch(() -> browser);

    @BeforeAll
    void start() {
        node = WebNode.inMemory();
        browser = Browser.start("es", 1280, 800);
    }

    @AfterAll
    void stop() {
        ChatBrowserIT.closeQuietly(browser);
        ChatBrowserIT.closeQuietly(node);
    }

    @Test
    void speaksTheBrowsersLanguageSwitchesAndRemembersTheChoice() {
        ChatPage page = new ChatPage(browser).openFresh(node.page());

        assertThat(page.script("return document.querySelector('h1').textContent"))
                .isEqualTo(spanish.getProperty("web.welcome_title"));
        assertThat(page.script("return document.documentElement.lang")).isEqualTo("es");
        page.enterName("ana").openRoom("idiomas");
        assertThat(page.status()).isEqualTo("Conectado");
        page.await(d -> page.quietLines().contains("ana se unió"));
        assertThat(page.text("leave-button")).isEqualTo("Salir de la sala");

        page.script("document.querySelector('button[data-lang=\"en\"]').click()");
        page.await(d -> page.status().equals("Connected"));
        assertThat(page.quietLines()).contains("ana joined");
        assertThat(page.text("leave-button")).isEqualTo(english.getProperty("web.leave"));
        assertThat(page.script("return document.documentElement.lang")).isEqualTo("en");

        browser.driver().navigate().refresh();
        page.await(d -> page.visible("chat") && page.status().equals("Connected"));
        assertThat(page.text("leave-button")).isEqualTo("Leave room");
        assertThat(page.script("return document.querySelector("
                + "'button[data-lang=\"en\"]').getAttribute('aria-pressed')")).isEqualTo("true");
    }

    @Test
    void formatsEveryPatternOfBothBundlesAsJavaDoes() {
        ChatPage page = new ChatPage(browser).openFresh(node.page());
        for (Properties bundle : List.of(english, spanish)) {
            List<List<Object>> cases = new ArrayList<>();
            Map<String, String> expected = new LinkedHashMap<>();
            for (String key : bundle.stringPropertyNames()) {
                if (!PicocliKeys.matches(key)) {
                    addCases(key, bundle.getProperty(key), cases, expected);
                }
            }

            Object formatted = ((JavascriptExecutor) browser.driver()).executeAsyncScript(
                    "const cases = arguments[0]; const done = arguments[arguments.length - 1];"
                    + "import('/js/texts.js').then(texts => {"
                    + "  const numbers = new texts.Texts('en', {}); const out = {};"
                    + "  for (const [id, pattern, args] of cases) {"
                    + "    out[id] = texts.formatPattern(pattern, args, numbers); }"
                    + "  done(out); }).catch(error => done(String(error)));", cases);

            assertThat(formatted).isInstanceOf(Map.class);
            Map<String, String> actual = new LinkedHashMap<>();
            ((Map<?, ?>) formatted).forEach((id, text) -> actual.put((String) id, (String) text));
            assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
            assertThat(expected).hasSizeGreaterThan(100);
        }
        assertThat(page.browser().alertOpen()).isFalse();
    }

    /** One case per sample number for patterns with numeric arguments, else one. */
    private static void addCases(String key, String pattern, List<List<Object>> cases,
            Map<String, String> expected) {
        MessageFormat format = new MessageFormat(pattern, Locale.ENGLISH);
        Format[] formats = format.getFormatsByArgumentIndex();
        boolean numeric = false;
        for (Format argument : formats) {
            numeric |= argument instanceof ChoiceFormat || argument instanceof NumberFormat;
        }
        int[] samples = numeric ? SAMPLE_NUMBERS : new int[] {0};
        for (int sample : samples) {
            List<Object> args = new ArrayList<>();
            for (int i = 0; i < Math.max(formats.length, 4); i++) {
                boolean number = i < formats.length && formats[i] != null;
                args.add(number ? (Object) sample : "arg" + i);
            }
            String id = key + "#" + sample;
            cases.add(List.of(id, pattern, args));
            expected.put(id, format.format(args.toArray()));
        }
    }

    private static Properties bundle(String resource) {
        Properties properties = new Properties();
        try (InputStream in = LanguageBrowserIT.class.getResourceAsStream(resource)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
