package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class LanguageTest {
    private static final Locale MEXICO = Locale.forLanguageTag("es-MX");

    @Test
    void followsTheSystemLocaleWhenNotAsked() {
        assertThat(Language.choose(new String[] {"send"}, MEXICO)).isEqualTo(Language.ES);
        assertThat(Language.choose(new String[] {"send"}, new Locale("es"))).isEqualTo(Language.ES);
        assertThat(Language.choose(new String[] {"send"}, Locale.US)).isEqualTo(Language.EN);
        assertThat(Language.choose(new String[0], Locale.GERMAN)).isEqualTo(Language.EN);
    }

    @Test
    void letsLangOverrideTheSystemLocaleAnywhereBeforeTheEndOfOptions() {
        assertThat(Language.choose(new String[] {"--lang", "en", "send"}, MEXICO))
                .isEqualTo(Language.EN);
        assertThat(Language.choose(new String[] {"send", "--lang=ES"}, Locale.US))
                .isEqualTo(Language.ES);
        assertThat(Language.choose(new String[] {"send", "--", "--lang", "es"}, Locale.US))
                .isEqualTo(Language.EN);
    }

    @Test
    void leavesAnUnknownLanguageToTheParserAndSpeaksTheSystemsMeanwhile() {
        assertThat(Language.choose(new String[] {"--lang", "fr"}, MEXICO)).isEqualTo(Language.ES);
        assertThat(Language.choose(new String[] {"--lang"}, Locale.US)).isEqualTo(Language.EN);
    }
}
