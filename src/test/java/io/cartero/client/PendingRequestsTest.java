package io.cartero.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartero.broker.BrokerException;
import io.cartero.message.ErrorCode;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {
    private static final String URL = "ws://127.0.0.1:9/ws";
    private static final Duration LONG = Duration.ofSeconds(30);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final PendingRequests pending = new PendingRequests(URL, timer);

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void completesTheRequestWhoseIdTheReplyCarries() {
        long first = pending.nextId();
        long second = pending.nextId();
        CompletableFuture<Frame.Pong> one = pending.register(first, Frame.Pong.class, "ping", LONG);
        CompletableFuture<Frame.Pong> two = pending.register(second, Frame.Pong.class, "ping",
                LONG);

        assertThat(pending.complete(new Frame.Pong(second))).isTrue();

        assertThat(two).isCompletedWithValue(new Frame.Pong(second));
        assertThat(one).isNotDone();
        assertThat(pending.complete(new Frame.Pong(second))).isFalse();
    }

    @Test
    void anErrorFrameFailsTheRequestWithItsCode() {
        long id = pending.nextId();
        CompletableFuture<Frame.Ack> reply = pending.register(id, Frame.Ack.class, "send", LONG);

        pending.complete(new Frame.Error(id, "text_too_long", "message text is too long"));

        assertThatThrownBy(reply::join).cause()
                .isInstanceOf(ValidationException.class)
                .hasMessage("message text is too long")
                .extracting(e -> ((ValidationException) e).code())
                .isEqualTo(ErrorCode.TEXT_TOO_LONG);
    }

    @Test
    void aFailureOfTheNodeOrItsBrokerIsABrokerException() {
        long id = pending.nextId();
        CompletableFuture<Frame.Ack> reply = pending.register(id, Frame.Ack.class, "send", LONG);

        pending.complete(new Frame.Error(id, "broker_unavailable", "redis is down"));

        assertThatThrownBy(reply::join).cause()
                .isInstanceOf(BrokerException.class)
                .hasMessageContaining(URL).hasMessageContaining("redis is down");
    }

    @Test
    void aReplyOfTheWrongTypeIsABrokerException() {
        long id = pending.nextId();
        CompletableFuture<Frame.Ack> reply = pending.register(id, Frame.Ack.class, "send", LONG);

        pending.complete(new Frame.Pong(id));

        assertThatThrownBy(reply::join).cause().isInstanceOf(BrokerException.class)
                .hasMessageContaining("Pong");
    }

    @Test
    void aRequestWithoutReplyTimesOutNamingTheUrl() {
        CompletableFuture<Frame.Pong> reply = pending.register(pending.nextId(),
                Frame.Pong.class, "ping", Duration.ofMillis(50));

        assertThatThrownBy(reply::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(BrokerException.class)
                .hasMessage("no reply from " + URL + " to ping within 50 ms");
    }

    @Test
    void failAllFailsWaitingAndLaterRequests() {
        CompletableFuture<Frame.Pong> waiting = pending.register(pending.nextId(),
                Frame.Pong.class, "ping", LONG);
        BrokerException lost = new BrokerException("connection lost");

        pending.failAll(lost);
        CompletableFuture<Frame.Pong> later = pending.register(pending.nextId(),
                Frame.Pong.class, "ping", LONG);

        assertThatThrownBy(waiting::join).cause().isSameAs(lost);
        assertThatThrownBy(later::join).cause().isSameAs(lost);
    }
}
