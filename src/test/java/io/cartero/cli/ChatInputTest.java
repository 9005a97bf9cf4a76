package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.cli.ChatInput.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatInputTest {

    @ParameterizedTest
    @CsvSource({
        "/join random, JOIN, random",
        "/unirse random, JOIN, random",
        "'  /JOIN   random  ', JOIN, random",
        "/leave, LEAVE, ''",
        "/salir general, LEAVE, general",
        "/rooms, ROOMS, ''",
        "/salas, ROOMS, ''",
        "/who, WHO, ''",
        "/quien general, WHO, general",
        "/quién, WHO, ''",
        "/history 5, HISTORY, 5",
        "/historial, HISTORY, ''",
        "/help, HELP, ''",
        "/ayuda, HELP, ''",
        "/quit, QUIT, ''",
        "/exit, QUIT, ''",
        "/adios, QUIT, ''",
        "/adiós, QUIT, ''"})
    void knowsEveryCommandInEnglishAndSpanish(String line, Action action, String argument) {
        assertThat(ChatInput.parse(line)).isEqualTo(new ChatInput(action, argument));
    }

    @Test
    void sendsAnyOtherLineAsItIs() {
        assertThat(ChatInput.parse("  hola, ¿qué tal?  "))
                .isEqualTo(new ChatInput(Action.SEND, "  hola, ¿qué tal?  "));
    }

    @Test
    void sendsADoubleSlashLineAsAMessageThatStartsWithASlash() {
        assertThat(ChatInput.parse("//join no es un comando"))
                .isEqualTo(new ChatInput(Action.SEND, "/join no es un comando"));
    }

    @Test
    void reportsAnUnknownCommandByItsWord() {
        assertThat(ChatInput.parse("/bailar ahora"))
                .isEqualTo(new ChatInput(Action.UNKNOWN, "/bailar"));
    }

    @Test
    void ignoresABlankLine() {
        assertThat(ChatInput.parse("   ").action()).isEqualTo(Action.NOTHING);
    }
}
