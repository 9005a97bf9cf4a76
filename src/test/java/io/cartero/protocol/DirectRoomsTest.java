package io.cartero.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.message.Names;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectRoomsTest {

    @Test
    void namesTheRoomAfterTheDigestOfTheSortedNames() throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256")
                .digest("ana\0bob".getBytes(StandardCharsets.UTF_8));
        String expected = "dm." + HexFormat.of().formatHex(hash).substring(0, 40);

        assertThat(DirectRooms.room("ana", "bob")).isEqualTo(expected);
        assertThat(DirectRooms.room("bob", "ana")).isEqualTo(expected);
        assertThat(Names.requireRoom(expected)).hasSize(43);
    }

    @Test
    void knowsAFixedRoomNameSoOtherClientsCanCheckTheirs() {
        // sha256("ana\0bob") computed independently: printf 'ana\0bob' | sha256sum
        assertThat(DirectRooms.room("ana", "bob"))
                .isEqualTo("dm.4a33a37bc4e04156d544ae426cfbfe2720576ad8");
    }

    @Test
    void sortsByCodePointNotByUtf16Unit() {
        String emoji = "\uD83D\uDE00";  // U+1F600, surrogates D83D DE00
        String halfwidth = "\uFF61";   // U+FF61, above the surrogates as UTF-16 units

        assertThat(emoji.compareTo(halfwidth)).isNegative();
        assertThat(DirectRooms.between(emoji, halfwidth)).containsExactly(halfwidth, emoji);
        assertThat(DirectRooms.between("bob", "ana")).isEqualTo(List.of("ana", "bob"));
        assertThat(DirectRooms.between("Zoe", "ana")).containsExactly("Zoe", "ana");
    }

    @Test
    void reservesEveryRoomThatStartsWithDm() {
        assertThat(DirectRooms.isReserved(DirectRooms.room("ana", "bob"))).isTrue();
        assertThat(DirectRooms.isReserved("dm.anything")).isTrue();
        assertThat(DirectRooms.isReserved("dm")).isFalse();
        assertThat(DirectRooms.isReserved("dmx")).isFalse();
        assertThat(DirectRooms.isReserved("general")).isFalse();
        assertThat(DirectRooms.isReserved(null)).isFalse();
    }
}
