package io.cartero.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartero.message.QueueMessage;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The original workshop's JSON, both ways. */
class WorkshopListFormatTest {
    private static final ZoneId ZONE = ZoneOffset.ofHours(-5);
    private final WorkshopListFormat format = new WorkshopListFormat(ZONE, "192.168.1.9");

    @Test
    void writesTheThreeKeysAndTheOriginInRawUtf8() {
        long at = LocalDate.of(2026, 3, 1).atTime(10, 42, 7).atZone(ZONE).toInstant()
                .toEpochMilli();

        String json = format.encode(
                new QueueMessage("chat_simple", "Íñigo", "¿qué tal? 😀", at));

        assertThat(json).isEqualTo("{\"usuario\":\"Íñigo\",\"mensaje\":\"¿qué tal? 😀\","
                + "\"tiempo\":\"10:42:07\",\"ip_origen\":\"192.168.1.9\"}");
    }

    @Test
    void readsATimeOfDayAsTodayAtThatTime() {
        QueueMessage message = format.decode("chat_simple",
                "{\"usuario\":\"ana\",\"mensaje\":\"hola\",\"hora\":\"08:05:09\"}");

        assertThat(message.sender()).isEqualTo("ana");
        assertThat(message.sentAt()).isEqualTo(LocalDate.now(ZONE).atTime(8, 5, 9).atZone(ZONE)
                .toInstant().toEpochMilli());
    }

    @Test
    void namesTheOriginAfterTheSender() {
        QueueMessage message = format.decode("chat_distribuido", "{\"usuario\":\"ana\","
                + "\"mensaje\":\"hola\",\"tiempo\":\"08:05:09\",\"ip_origen\":\"10.1.2.3\"}");

        assertThat(message.sender()).isEqualTo("ana (10.1.2.3)");
    }

    @Test
    void refusesEntriesWithoutTheRequiredKeysOrWithWrongTypes() {
        assertThatThrownBy(() -> format.decode("chat_simple", "{\"usuario\":\"a\","
                + "\"mensaje\":\"b\"}")).isInstanceOf(WorkshopListFormat.MalformedEntry.class)
                .hasMessage("no \"tiempo\"");
        assertThatThrownBy(() -> format.decode("chat_simple", "{\"usuario\":\"a\","
                + "\"mensaje\":[],\"tiempo\":\"10:00:00\"}"))
                .hasMessage("\"mensaje\" is not a string");
        assertThatThrownBy(() -> format.decode("chat_simple", "null"))
                .hasMessage("not a JSON object");
    }
}
