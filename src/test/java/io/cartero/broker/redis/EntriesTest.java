package io.cartero.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartero.message.Kind;
import io.cartero.message.Message;
import org.junit.jupiter.api.Test;

/** Reading live messages as publish.lua publishes them. */
class EntriesTest {
    @Test
    void readsEveryFieldAndATextThatHoldsNewlines() {
        String live = "general\nabcdefghij\n42\nJosé Ñúñez\nchat\n1733312345678\nuno\ndos\n\n";

        Message message = Entries.live(Entries.roomOf(live), live);

        assertThat(message).isEqualTo(new Message("general", 42, "abcdefghij", "José Ñúñez",
                "uno\ndos\n\n", 1733312345678L, Kind.CHAT));
    }

    @Test
    void readsAJoinWithAnEmptyText() {
        String live = "general\nabcdefghij\n7\nana\njoin\n1\n";

        assertThat(Entries.live("general", live).text()).isEmpty();
        assertThat(Entries.live("general", live).kind()).isEqualTo(Kind.JOIN);
    }

    @Test
    void theRoomIsTheFirstLine() {
        assertThat(Entries.roomOf("general\nresto")).isEqualTo("general");
        assertThat(Entries.roomOf("solo")).isEqualTo("solo");
    }

    @Test
    void refusesWhatIsNotALiveMessageWithAReason() {
        assertThatThrownBy(() -> Entries.live("general", "general\nabcdefghij\n42"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 lines before its text");
        assertThatThrownBy(() -> Entries.live("general",
                "general\nabcdefghij\ncuarenta\nana\nchat\n1\nhola"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad field");
        assertThatThrownBy(() -> Entries.live("general",
                "general\nabcdefghij\n42\nana\ngrito\n1\nhola"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grito");
        assertThatThrownBy(() -> Entries.live("general",
                "general\nabcdefghij\n0\nana\nchat\n1\nhola"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
        assertThatThrownBy(() -> Entries.live("general", "generales\nabcdefghij\n4\na\nchat\n1\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another room");
    }
}
