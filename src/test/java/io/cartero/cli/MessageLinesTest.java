package io.cartero.cli;

import java.util.List;
import java.util.ArrayList;
import java.time.Duration;
import io.cartero.client.ConnectionState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.message.QueueMessage;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MessageLinesTest {
    private static final ZoneId MADRID = ZoneId.of("Europe/Madrid");
    /** 2026-12-03 10:42:07 in Madrid (UTC+1 in winter). */
    private static final long SENT_AT =
            LocalDateTime.of(2026, 12, 3, 9, 42, 7).toInstant(ZoneOffset.UTC).toEpochMilli();

    private final MessageLines english = new MessageLines(Texts.of(Language.EN), MADRID);
    private final MessageLines spanish = new MessageLines(Texts.of(Language.ES), MADRID);

    @Test
    void showsAChatMessageWithLocalTimeNameAndText() {
        assertThat(english.human(message(Kind.CHAT, "hola"))).isEqualTo("[10:42:07] ana: hola");
        assertThat(spanish.human(message(Kind.CHAT, "¿qué tal?")))
                .isEqualTo("[10:42:07] ana: ¿qué tal?");
    }

    @Test
    void tellsOfALostConnectionAtTheFirstAttemptAndThenEveryFifth() {
        List<String> lines = new ArrayList<>();
        for (int attempt = 1; attempt <= 10; attempt++) {
            lines.add(spanish.connectionState(new ConnectionState(
                    ConnectionState.Phase.RECONNECTING, attempt, Duration.ofMillis(1500), "x")));
        }

        assertThat(lines.get(0)).isEqualTo(
                "* Se perdió la conexión; reconectando… (intento 1, el próximo en 1.5 s)");
        assertThat(lines.get(4)).contains("intento 5");
        assertThat(lines.get(9)).contains("intento 10");
        assertThat(lines).filteredOn(line -> line != null).hasSize(3);
    }

    @Test
    void showsJoinAndLeaveAsNoticesInTheUsersLanguage() {
        assertThat(spanish.human(message(Kind.JOIN, "")))
                .isEqualTo("[10:42:07] * ana se unió a general");
        assertThat(spanish.human(message(Kind.LEAVE, "")))
                .isEqualTo("[10:42:07] * ana salió de general");
        assertThat(english.human(message(Kind.JOIN, "")))
                .isEqualTo("[10:42:07] * ana joined general");
        assertThat(english.human(message(Kind.LEAVE, "")))
                .isEqualTo("[10:42:07] * ana left general");
    }

    @Test
    void showsASystemMessageAsANotice() {
        assertThat(english.human(message(Kind.SYSTEM, "restarted")))
                .isEqualTo("[10:42:07] * restarted");
    }

    @Test
    void namesTheRoomOfAChatLineWhenAsked() {
        assertThat(english.humanWithRoom(message(Kind.CHAT, "hola")))
                .isEqualTo("[10:42:07] (general) ana: hola");
        assertThat(english.humanWithRoom(message(Kind.JOIN, "")))
                .isEqualTo("[10:42:07] * ana joined general");
    }

    @Test
    void showsAQueueMessageLikeAChatLine() {
        QueueMessage message = new QueueMessage("tareas", "luis", "imprimir informe", SENT_AT);

        assertThat(spanish.human(message)).isEqualTo("[10:42:07] luis: imprimir informe");
    }

    @Test
    void writesARoomMessageAsOneLineOfJsonWithTheProtocolsFields() throws Exception {
        String line = english.json(new Message("general", 12, "k7d2q9x4mb", "ana",
                "dijo \"hola\"\ny se fue", SENT_AT, Kind.CHAT));

        assertThat(line).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("room").asText()).isEqualTo("general");
        assertThat(json.get("offset").asLong()).isEqualTo(12);
        assertThat(json.get("epoch").asText()).isEqualTo("k7d2q9x4mb");
        assertThat(json.get("sender").asText()).isEqualTo("ana");
        assertThat(json.get("text").asText()).isEqualTo("dijo \"hola\"\ny se fue");
        assertThat(json.get("sent_at").asLong()).isEqualTo(SENT_AT);
        assertThat(json.get("kind").asText()).isEqualTo("chat");
        assertThat(json.size()).isEqualTo(7);
    }

    @Test
    void writesAQueueMessageAsOneLineOfJson() throws Exception {
        JsonNode json = new ObjectMapper().readTree(
                english.json(new QueueMessage("tareas", "luis", "año nuevo", SENT_AT)));

        assertThat(json.get("queue").asText()).isEqualTo("tareas");
        assertThat(json.get("sender").asText()).isEqualTo("luis");
        assertThat(json.get("text").asText()).isEqualTo("año nuevo");
        assertThat(json.get("sent_at").asLong()).isEqualTo(SENT_AT);
        assertThat(json.size()).isEqualTo(4);
    }

    @Test
    void keepsTerminalControlsOutOfHumanLines() {
        String text = "hola\u001b[2J\rluis: falso\u202Eal revés\u0007";

        String shown = english.human(message(Kind.CHAT, text));

        assertThat(shown).doesNotContain("\u001b", "\r", "\u202E", "\u0007")
                .isEqualTo("[10:42:07] ana: hola\\u001B[2J\\u000Dluis: falso\\u202Eal revés"
                        + "\\u0007");
    }

    @Test
    void escapesControlsInNamesAndRoomsToo() {
        Message join = new Message("general", 3, "k7d2q9x4mb", "ana\u001b]0;owned\u0007\nluis",
                "", SENT_AT, Kind.JOIN);

        assertThat(english.human(join))
                .isEqualTo("[10:42:07] * ana\\u001B]0;owned\\u0007\\u000Aluis joined general");
    }

    @Test
    void jsonLinesEscapeC1AndBidiControlsThatJsonWritersLeaveRaw() throws Exception {
        String text = "a\u009b2Jb\u202Ec\u2066d\u007fe\u2028f\u001b";

        String line = english.json(new QueueMessage("tareas", "luis", text, SENT_AT));

        assertThat(line).isEqualTo("{\"queue\":\"tareas\",\"sender\":\"luis\",\"text\":"
                + "\"a\\u009B2Jb\\u202Ec\\u2066d\\u007Fe\\u2028f\\u001B\",\"sent_at\":"
                + SENT_AT + "}");
        assertThat(new ObjectMapper().readTree(line).get("text").asText()).isEqualTo(text);
    }

    @Test
    void indentsTheFurtherLinesOfAMessageSoThatNoneLooksLikeAnotherMessage() {
        String shown = english.human(message(Kind.CHAT, "uno\n[10:42:08] luis: dos\r\ntres"));

        assertThat(shown.lines())
                .containsExactly("[10:42:07] ana: uno", "    [10:42:08] luis: dos", "    tres");
    }

    @Test
    void keepsTabsEmojiAndJoinersIntact() {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";

        assertThat(MessageLines.printable("a\tb " + family)).isEqualTo("a\tb " + family);
    }

    private static Message message(Kind kind, String text) {
        return new Message("general", 3, "k7d2q9x4mb", "ana", text, SENT_AT, kind);
    }
}
