package io.cartero.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StampsTest {

    @Test
    void aTextIsPaddedToThePayloadAndReadBack() {
        String text = Stamps.text(7, 12_345, 987_654_321_000L, 100);

        assertThat(text).hasSize(100).startsWith("b7.12345.987654321000 x");
        Stamps.Parsed parsed = new Stamps.Parsed();
        assertThat(Stamps.readText(text, parsed)).isTrue();
        assertThat(parsed.publisher).isEqualTo(7);
        assertThat(parsed.sequence).isEqualTo(12_345);
        assertThat(parsed.stamp).isEqualTo(987_654_321_000L);
    }

    @Test
    void aShortPayloadKeepsTheWholeStamp() {
        assertThat(Stamps.text(0, 1, 0, 1)).isEqualTo("b0.1.0 ");
    }

    @Test
    void theTextIsFoundInAMessageFrame() {
        String frame = "{\"type\":\"message\",\"message\":{\"room\":\"bench-0\",\"offset\":3,"
                + "\"epoch\":\"e\",\"sender\":\"bench-p2\",\"text\":\"b2.3.44 xxxx\","
                + "\"sent_at\":1,\"kind\":\"chat\"}}";
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        Stamps.Parsed parsed = new Stamps.Parsed();

        assertThat(Stamps.readFrame(bytes, 0, bytes.length, parsed)).isTrue();

        assertThat(parsed.publisher).isEqualTo(2);
        assertThat(parsed.sequence).isEqualTo(3);
        assertThat(parsed.stamp).isEqualTo(44);
    }

    @Test
    void textsOfPeopleAreNotStamps() {
        Stamps.Parsed parsed = new Stamps.Parsed();

        assertThat(Stamps.readText("hola", parsed)).isFalse();
        assertThat(Stamps.readText("b", parsed)).isFalse();
        assertThat(Stamps.readText("b1.2", parsed)).isFalse();
        assertThat(Stamps.readText("b1.x.3", parsed)).isFalse();
        assertThat(Stamps.readText("bien, gracias", parsed)).isFalse();
        assertThat(Stamps.readText("", parsed)).isFalse();
    }
}
