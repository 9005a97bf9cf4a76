package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.cartero.message.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The two bundles: same keys, no empty text, patterns that format. */
class BundlesTest {
    private final Properties english = load("/i18n/messages.properties");
    private final Properties spanish = load("/i18n/messages_es.properties");

    @Test
    void bothLanguagesHaveTheSameKeys() {
        assertThat(spanish.stringPropertyNames())
                .containsExactlyInAnyOrderElementsOf(english.stringPropertyNames());
    }

    @Test
    void noTextIsEmpty() {
        for (Properties bundle : new Properties[] {english, spanish}) {
            for (String key : bundle.stringPropertyNames()) {
                assertThat(bundle.getProperty(key)).as(key).isNotBlank();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyErrorCodeIsExplainedInBothLanguages(ErrorCode code) {
        String key = "error." + code.wireName();

        assertThat(english.getProperty(key)).as(key).isNotBlank();
        assertThat(spanish.getProperty(key)).as(key).isNotBlank();
        assertThat(spanish.getProperty(key)).isNotEqualTo(english.getProperty(key));
    }

    @Test
    void everyMessagePatternFormatsAndKeepsItsApostrophes() {
        for (Properties bundle : new Properties[] {english, spanish}) {
            for (String key : messageKeys(bundle)) {
                String pattern = bundle.getProperty(key);
                assertThatCode(() -> new MessageFormat(pattern, Locale.ROOT))
                        .as(key).doesNotThrowAnyException();
                assertThat(pattern.replace("''", "")).as(key + " has a single '")
                        .doesNotContain("'");
            }
        }
    }

    @Test
    void everyPicocliTextEscapesItsPercentSigns() {
        for (Properties bundle : new Properties[] {english, spanish}) {
            for (String key : bundle.stringPropertyNames()) {
                if (PicocliKeys.matches(key)) {
                    String text = bundle.getProperty(key).replace("%n", "").replace("%%", "");
                    assertThat(text).as(key).doesNotContain("%");
                }
            }
        }
    }

    @Test
    void spanishIsWrittenWithItsAccents() {
        assertThat(spanish.getProperty("error.connection_lost")).contains("conexión");
        assertThat(spanish.getProperty("error.empty_text")).contains("está vacío");
        assertThat(spanish.getProperty("usage.footerHeading")).contains("Códigos");
    }

    @Test
    void textsReadTheBundleOfTheLanguageAskedForWhateverTheSystemLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("es-MX"));
            assertThat(Texts.of(Language.EN).get("list.nobody")).isEqualTo("nobody");
            Locale.setDefault(Locale.ENGLISH);
            assertThat(Texts.of(Language.ES).get("list.nobody")).isEqualTo("nadie");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void formatsCountsWithTheirPluralInEachLanguage() {
        Texts english = Texts.of(Language.EN);
        Texts spanish = Texts.of(Language.ES);

        assertThat(english.get("receive.count", 0)).isEqualTo("No messages received.");
        assertThat(english.get("receive.count", 1)).isEqualTo("1 message received.");
        assertThat(english.get("receive.count", 1234)).isEqualTo("1,234 messages received.");
        assertThat(spanish.get("receive.count", 0)).isEqualTo("No se recibió ningún mensaje.");
        assertThat(spanish.get("receive.count", 1)).isEqualTo("Se recibió 1 mensaje.");
        assertThat(spanish.get("receive.count", 3)).isEqualTo("Se recibieron 3 mensajes.");
    }

    @Test
    void looksUpAPhrasePassedAsAnArgument() {
        Texts spanish = Texts.of(Language.ES);

        assertThat(spanish.get("error.unreachable", "ws://aula:8080",
                new Texts.Phrase("reason.refused")))
                .isEqualTo("No se puede conectar con el servidor en ws://aula:8080 (conexión "
                        + "rechazada). ¿Se está ejecutando ./cartero server ahí?");
    }

    private static Set<String> messageKeys(Properties bundle) {
        Set<String> keys = new TreeSet<>(bundle.stringPropertyNames());
        keys.removeIf(key -> PicocliKeys.matches(key));
        return keys;
    }

    private static Properties load(String resource) {
        try (InputStream in = BundlesTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return properties;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
