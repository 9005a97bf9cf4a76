package io.cartero.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the narrator prints, on terminals that can show every character and on others. */
class NarratorTest {
    private static final Map<String, String> TEXTS = Map.of(
            "heading", "Paso 1",
            "live", "{0} → {1}: {2}",
            "prose", "Una sala guarda sus mensajes en orden, numerados, y cada miembro los "
                    + "recibe todos: así funciona la difusión.");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Test
    void printsArrowsAndRulesWhereTheTerminalShowsThem() {
        Narrator narrator = narrator(StandardCharsets.UTF_8);

        narrator.heading(narrator.text("heading"));
        narrator.live("live", "Ana", "clase", "m1");

        assertThat(printed(StandardCharsets.UTF_8)).contains("─── Paso 1 ───",
                "  Ana → clase: m1");
    }

    @Test
    void printsAsciiLookAlikesWhereTheTerminalLacksThem() {
        Charset ascii = StandardCharsets.US_ASCII;
        Narrator narrator = narrator(ascii);

        narrator.heading(narrator.text("heading"));
        narrator.live("live", "Ana", "clase", "m1");

        String shown = printed(ascii);
        assertThat(shown).contains("--- Paso 1 ---", "  Ana -> clase: m1");
        assertThat(shown.lines()).allSatisfy(line -> assertThat(line).doesNotContain("?"));
    }

    @Test
    void wrapsProseToTheWidthAndEndsItWithABlankLine() {
        Narrator narrator = narrator(StandardCharsets.UTF_8);

        narrator.paragraph("prose");

        assertThat(printed(StandardCharsets.UTF_8).lines()).hasSize(3)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(
                        Narrator.WIDTH))
                .last().isEqualTo("");
    }

    private Narrator narrator(Charset charset) {
        return new Narrator(new PrintStream(bytes, true, charset), charset,
                (key, args) -> MessageFormat.format(TEXTS.get(key), args));
    }

    private String printed(Charset charset) {
        return bytes.toString(charset);
    }
}
