package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void countsBytesAsUtf8EncodingDoes() {
        for (String text : new String[] {"", "hola", "ñandú", "€uro", "🙂 ok"}) {
            assertThat(Utf8.length(text)).as(text)
                    .isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void tellsWhetherTextPassesALimit() {
        assertThat(Utf8.exceeds("ñ".repeat(10), 20)).isFalse();
        assertThat(Utf8.exceeds("ñ".repeat(11), 20)).isTrue();
        assertThat(Utf8.exceeds("a".repeat(21), 20)).isTrue();
    }
}
