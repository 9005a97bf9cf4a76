package io.cartero.message;

import static io.cartero.message.NamesTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class MessageTest {

    @Test
    void holdsWhatItWasGiven() {
        Message message = new Message("general", 12, "k7d2q9x4mb", "ana", "hola",
                1_764_776_527_000L, Kind.CHAT);

        assertThat(message.room()).isEqualTo("general");
        assertThat(message.offset()).isEqualTo(12);
        assertThat(message.epoch()).isEqualTo("k7d2q9x4mb");
        assertThat(message.sender()).isEqualTo("ana");
        assertThat(message.text()).isEqualTo("hola");
        assertThat(message.sentAt()).isEqualTo(1_764_776_527_000L);
        assertThat(message.kind()).isEqualTo(Kind.CHAT);
    }

    @Test
    void joinAndLeaveMessagesHaveEmptyText() {
        Message join = new Message("general", 1, "e", "ana", "", 0, Kind.JOIN);

        assertThat(join.text()).isEmpty();
    }

    @Test
    void refusesAnInvalidRoom() {
        assertRefused(() -> new Message("General", 1, "e", "ana", "hola", 0, Kind.CHAT),
                ErrorCode.INVALID_ROOM);
    }

    @Test
    void refusesOffsetsBelowOne() {
        assertRefused(() -> new Message("general", 0, "e", "ana", "hola", 0, Kind.CHAT),
                ErrorCode.INVALID_ARGUMENT);
        assertRefused(() -> new Message("general", -5, "e", "ana", "hola", 0, Kind.CHAT),
                ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void refusesMissingFields() {
        assertThatNullPointerException().isThrownBy(
                () -> new Message("general", 1, null, "ana", "hola", 0, Kind.CHAT));
        assertThatNullPointerException().isThrownBy(
                () -> new Message("general", 1, "e", null, "hola", 0, Kind.CHAT));
        assertThatNullPointerException().isThrownBy(
                () -> new Message("general", 1, "e", "ana", null, 0, Kind.CHAT));
        assertThatNullPointerException().isThrownBy(
                () -> new Message("general", 1, "e", "ana", "hola", 0, null));
    }

    @Test
    void queueMessagesFollowRoomNameRules() {
        QueueMessage message = new QueueMessage("tareas", "ana", "imprimir", 5);

        assertThat(message.queue()).isEqualTo("tareas");
        assertRefused(() -> new QueueMessage("Tareas", "ana", "imprimir", 5),
                ErrorCode.INVALID_ROOM);
    }

    @Test
    void kindsRoundTripThroughTheirWireNames() {
        for (Kind kind : Kind.values()) {
            assertThat(Kind.fromWireName(kind.wireName())).isEqualTo(kind);
        }
        assertThat(Kind.CHAT.wireName()).isEqualTo("chat");
        assertRefused(() -> Kind.fromWireName("shout"), ErrorCode.INVALID_KIND);
        assertRefused(() -> Kind.fromWireName("CHAT"), ErrorCode.INVALID_KIND);
    }

    @Test
    void errorCodesRoundTripThroughTheirWireNames() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ErrorCode.fromWireName(code.wireName())).isEqualTo(code);
        }
        assertThat(ErrorCode.INVALID_ROOM.wireName()).isEqualTo("invalid_room");
        assertThat(ErrorCode.fromWireName("no_such_code")).isEqualTo(ErrorCode.INTERNAL);
    }
}
