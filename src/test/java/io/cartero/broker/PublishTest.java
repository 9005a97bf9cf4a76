package io.cartero.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartero.message.ErrorCode;
import io.cartero.message.Kind;
import io.cartero.message.ValidationException;
import org.junit.jupiter.api.Test;

class PublishTest {

    @Test
    void aChatRequestHasNoKey() {
        Publish request = Publish.chat("general", "ana", "hola");

        assertThat(request.kind()).isEqualTo(Kind.CHAT);
        assertThat(request.idempotencyKey()).isNull();
        assertThat(request.withKey("k").idempotencyKey()).isEqualTo("k");
    }

    @Test
    void chatAndSystemMessagesNeedValidText() {
        assertRefused(() -> new Publish("general", "ana", "", Kind.CHAT, null),
                ErrorCode.EMPTY_TEXT);
        assertRefused(() -> new Publish("general", "ana", "", Kind.SYSTEM, null),
                ErrorCode.EMPTY_TEXT);
        assertRefused(() -> new Publish("general", "ana", "x".repeat(4_001), Kind.CHAT, null),
                ErrorCode.TEXT_TOO_LONG);
    }

    @Test
    void joinAndLeaveMayHaveEmptyText() {
        assertThat(new Publish("general", "ana", "", Kind.JOIN, null).text()).isEmpty();
        assertThat(new Publish("general", "ana", "", Kind.LEAVE, null).text()).isEmpty();
        assertThatNullPointerException().isThrownBy(
                () -> new Publish("general", "ana", null, Kind.JOIN, null));
    }

    @Test
    void refusesBadRoomsSendersAndKeys() {
        assertRefused(() -> Publish.chat("sala general", "ana", "hola"), ErrorCode.INVALID_ROOM);
        assertRefused(() -> Publish.chat("general", "an\u0000a", "hola"), ErrorCode.INVALID_NAME);
        assertRefused(() -> Publish.chat("general", "ana", "hola").withKey(""),
                ErrorCode.INVALID_ARGUMENT);
        assertRefused(() -> Publish.chat("general", "ana", "hola")
                .withKey("k".repeat(Publish.MAX_KEY_LENGTH + 1)), ErrorCode.INVALID_ARGUMENT);
        assertThat(Publish.chat("general", "ana", "hola")
                .withKey("k".repeat(Publish.MAX_KEY_LENGTH)).idempotencyKey()).hasSize(128);
    }

    private static void assertRefused(Runnable action, ErrorCode code) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }
}
