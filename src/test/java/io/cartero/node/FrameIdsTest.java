package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameIdsTest {

    @Test
    void findsTheIdAfterALongField() {
        String text = "{\"type\":\"send\",\"text\":\"" + "a".repeat(100_000) + "\",\"id\":42}";

        assertThat(FrameIds.peek(text)).isEqualTo(42L);
    }

    @Test
    void findsATopLevelIdOnly() {
        assertThat(FrameIds.peek("{\"after\":{\"id\":5},\"id\":6}")).isEqualTo(6L);
        assertThat(FrameIds.peek("{\"after\":{\"id\":5}}")).isNull();
    }

    @Test
    void givesNullForAnythingButAnIntegerIdInAnObject() {
        assertThat(FrameIds.peek("not json")).isNull();
        assertThat(FrameIds.peek("[{\"id\":1}]")).isNull();
        assertThat(FrameIds.peek("{\"id\":\"one\"}")).isNull();
        assertThat(FrameIds.peek("{\"id\":1.5}")).isNull();
        assertThat(FrameIds.peek("{\"id\":99999999999999999999999}")).isNull();
        assertThat(FrameIds.peek("{\"type\":\"send\",\"text\":\"cut")).isNull();
    }
}
