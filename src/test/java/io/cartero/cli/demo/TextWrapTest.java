package io.cartero.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Prose broken into lines that fit a terminal. */
class TextWrapTest {

    @Test
    void breaksAtSpacesWithinTheWidth() {
        assertThat(TextWrap.wrap("uno dos tres cuatro cinco", 9))
                .containsExactly("uno dos", "tres", "cuatro", "cinco");
    }

    @Test
    void countsAnAccentedLetterAsOneColumn() {
        assertThat(TextWrap.wrap("más allá así", 8)).containsExactly("más allá", "así");
    }

    @Test
    void keepsTheIndentOfListsAndOfIndentedLines() {
        assertThat(TextWrap.wrap("- una idea larga\n  ./cartero server", 12))
                .containsExactly("- una idea", "  larga", "  ./cartero", "  server");
    }

    @Test
    void givesAWordWiderThanTheLineALineOfItsOwn() {
        assertThat(TextWrap.wrap("ve a ws://192.168.100.200:8080 ya", 10))
                .containsExactly("ve a", "ws://192.168.100.200:8080", "ya");
    }

    @Test
    void keepsEmptyLines() {
        assertThat(TextWrap.wrap("uno\n\ndos", 10)).containsExactly("uno", "", "dos");
    }

    @Test
    void refusesAWidthBelowOne() {
        assertThatThrownBy(() -> TextWrap.wrap("uno", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width");
    }
}
