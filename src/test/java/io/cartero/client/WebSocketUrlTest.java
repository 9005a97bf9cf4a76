package io.cartero.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartero.message.ErrorCode;
import io.cartero.message.ValidationException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class WebSocketUrlTest {

    @Test
    void addsTheWebSocketPathToANodeAddress() {
        assertThat(url("ws://aula:8080")).isEqualTo(URI.create("ws://aula:8080/ws"));
        assertThat(url("ws://aula:8080/")).isEqualTo(URI.create("ws://aula:8080/ws"));
        assertThat(url("wss://aula.example/cartero")).isEqualTo(
                URI.create("wss://aula.example/cartero/ws"));
    }

    @Test
    void keepsAnAddressThatAlreadyEndsWithTheWebSocketPath() {
        assertThat(url("ws://127.0.0.1:8080/ws")).isEqualTo(URI.create("ws://127.0.0.1:8080/ws"));
        assertThat(url("ws://127.0.0.1:8080/ws/")).isEqualTo(
                URI.create("ws://127.0.0.1:8080/ws"));
        assertThat(url("WS://[::1]:8080")).isEqualTo(URI.create("ws://[::1]:8080/ws"));
    }

    @Test
    void refusesAnAddressThatIsNotAWebSocket() {
        assertThatThrownBy(() -> url("http://aula:8080"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("http://aula:8080")
                .extracting(e -> ((ValidationException) e).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThatThrownBy(() -> url("aula:8080")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> url("ws:///ws")).isInstanceOf(ValidationException.class);
    }

    private static URI url(String text) {
        return NodeClient.webSocketUrl(URI.create(text));
    }
}
