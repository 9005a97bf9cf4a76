package io.cartero.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NamesTest {
    private static final String EMOJI = "\uD83D\uDE00";

    // ---------------------------------------------------------------- rooms

    @ParameterizedTest
    @ValueSource(strings = {"general", "a", "sala-1", "2024_clase.redes", "..", "-"})
    void acceptsRoomNamesOfLowercaseLettersDigitsAndPunctuation(String room) {
        assertThat(Names.requireRoom(room)).isEqualTo(room);
    }

    @Test
    void acceptsARoomNameOfSixtyFourCharacters() {
        String longest = "r".repeat(Names.MAX_ROOM_LENGTH);

        assertThat(Names.requireRoom(longest)).isEqualTo(longest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "General", "sala general", "sala/1", "ñandú", "sala\n",
        "sala\u0000", "caf\u00e9", "x\uD83D\uDE00"})
    void refusesRoomNamesOutsideTheAlphabet(String room) {
        assertRefused(() -> Names.requireRoom(room), ErrorCode.INVALID_ROOM);
    }

    @Test
    void refusesAMissingOrTooLongRoomName() {
        assertRefused(() -> Names.requireRoom(null), ErrorCode.INVALID_ROOM);
        assertRefused(() -> Names.requireRoom("r".repeat(Names.MAX_ROOM_LENGTH + 1)),
                ErrorCode.INVALID_ROOM);
    }

    // ---------------------------------------------------------------- users

    @ParameterizedTest
    @ValueSource(strings = {"ana", "Ana María", "José", "王小明", "user.42", "ñ", "Zoë 🙂",
        "a\u0301"})
    void acceptsPrintableUserNames(String user) {
        assertThat(Names.requireUser(user)).isEqualTo(user);
    }

    @Test
    void acceptsThirtyTwoCodePointsEvenWhenEachTakesTwoChars() {
        String emoji = EMOJI.repeat(Names.MAX_USER_LENGTH);
        String letters = "a".repeat(Names.MAX_USER_LENGTH);

        assertThat(emoji).hasSize(64);
        assertThat(Names.requireUser(emoji)).isEqualTo(emoji);
        assertThat(Names.requireUser(letters)).isEqualTo(letters);
    }

    @Test
    void refusesMoreThanThirtyTwoCodePoints() {
        assertRefused(() -> Names.requireUser("a".repeat(33)), ErrorCode.INVALID_NAME);
        assertRefused(() -> Names.requireUser(EMOJI.repeat(33)), ErrorCode.INVALID_NAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", " ana", "ana ", "an\ta", "an\na", "an\ra",
        "an\u0000a", "an\u0007a", "an\u001Ba", "an\u007Fa", "an\u0085a", "\u00A0",
        "ana\u00A0", "\u3000ana", "\u2003"})
    void refusesEmptyPaddedAndControlCharacterNames(String user) {
        assertRefused(() -> Names.requireUser(user), ErrorCode.INVALID_NAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ana\u202Eevil", "\u202Dana", "an\u200Ba", "an\u200Da",
        "an\u2066a\u2069", "\uFEFFana", "an\u00ADa", "an\u2028a", "an\u2029a"})
    void refusesBidiControlsAndOtherInvisibleFormatCharacters(String user) {
        assertRefused(() -> Names.requireUser(user), ErrorCode.INVALID_NAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"an\uD83Da", "an\uDE00a", "ana\uD83D", "\uDE00ana"})
    void refusesUnpairedSurrogatesInNames(String user) {
        assertRefused(() -> Names.requireUser(user), ErrorCode.INVALID_NAME);
    }

    @Test
    void refusesPrivateUseAndUnassignedCodePointsInNames() {
        assertRefused(() -> Names.requireUser("an\uE000a"), ErrorCode.INVALID_NAME);
        assertRefused(() -> Names.requireUser("an\u0378a"), ErrorCode.INVALID_NAME);
        assertRefused(() -> Names.requireUser(null), ErrorCode.INVALID_NAME);
    }

    // ---------------------------------------------------------------- texts

    @ParameterizedTest
    @ValueSource(strings = {"hola", " ", "¿Qué tal?", "línea uno\nlínea dos", "tab\there",
        "😀👍🏽", "\u202Emixed bidi text is a person's choice"})
    void acceptsOrdinaryTexts(String text) {
        assertThat(Names.requireText(text)).isEqualTo(text);
    }

    @Test
    void acceptsFourThousandCodePoints() {
        String letters = "a".repeat(Names.MAX_TEXT_CODE_POINTS);
        String emoji = EMOJI.repeat(Names.MAX_TEXT_CODE_POINTS);

        assertThat(Names.requireText(letters)).hasSize(4_000);
        assertThat(Names.requireText(emoji)).hasSize(8_000);
    }

    @Test
    void refusesFourThousandAndOneCodePoints() {
        assertRefused(() -> Names.requireText("a".repeat(4_001)), ErrorCode.TEXT_TOO_LONG);
        assertRefused(() -> Names.requireText(EMOJI.repeat(4_001)), ErrorCode.TEXT_TOO_LONG);
        assertRefused(() -> Names.requireText("a".repeat(100_000)), ErrorCode.TEXT_TOO_LONG);
    }

    @Test
    void refusesAnEmptyOrMissingText() {
        assertRefused(() -> Names.requireText(""), ErrorCode.EMPTY_TEXT);
        assertRefused(() -> Names.requireText(null), ErrorCode.EMPTY_TEXT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "ho\u0000la", "hola\u0000", "ho\uD83Dla", "\uDE00",
        "hola\uD83D"})
    void refusesNulAndBrokenUnicodeInTexts(String text) {
        assertRefused(() -> Names.requireText(text), ErrorCode.INVALID_TEXT);
    }

    static void assertRefused(Runnable check, ErrorCode code) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }
}
