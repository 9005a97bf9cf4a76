package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The browser addresses and commands that {@code server} prints, for each way it listens. */
class WhereToJoinTest {
    private final WhereToJoin english = new WhereToJoin(Texts.of(Language.EN), "./cartero", 8080);
    private final WhereToJoin spanish = new WhereToJoin(Texts.of(Language.ES), "cartero", 9000);

    @Test
    void givesTheBrowserAddressAndTheCommandOfEveryNetworkAddress() {
        List<String> lines = english.everyAddress(List.of("192.168.1.20", "10.0.0.7"));

        assertThat(lines).containsExactly(
                "To chat from another computer, open this address in its web browser:",
                "  http://192.168.1.20:8080",
                "  http://10.0.0.7:8080",
                "or run this there:",
                "  ./cartero chat --server ws://192.168.1.20:8080 --name YOUR_NAME",
                "  ./cartero chat --server ws://10.0.0.7:8080 --name YOUR_NAME",
                "From this computer:",
                "  http://localhost:8080",
                "  ./cartero chat --server ws://localhost:8080 --name YOUR_NAME");
    }

    @Test
    void saysInSpanishWhereToJoin() {
        List<String> lines = spanish.everyAddress(List.of("192.168.1.20"));

        assertThat(lines).containsExactly(
                "Para chatear desde otra computadora, abre esta dirección en su navegador:",
                "  http://192.168.1.20:9000",
                "o ejecuta ahí:",
                "  cartero chat --server ws://192.168.1.20:9000 --name TU_NOMBRE",
                "Desde esta computadora:",
                "  http://localhost:9000",
                "  cartero chat --server ws://localhost:9000 --name TU_NOMBRE");
    }

    @Test
    void saysSoWhenNoOtherComputerCanReachIt() {
        assertThat(english.everyAddress(List.of())).startsWith(
                "No network address found: other computers cannot reach it for now.",
                "From this computer:", "  http://localhost:8080");
        assertThat(english.thisComputerOnly("127.0.0.1")).containsExactly(
                "It listens on 127.0.0.1: only this computer can reach it. To let other "
                        + "computers in, use --host 0.0.0.0.",
                "  http://127.0.0.1:8080",
                "  ./cartero chat --server ws://127.0.0.1:8080 --name YOUR_NAME");
    }

    @Test
    void bracketsAnIpv6Address() {
        assertThat(english.oneAddress("fd00::5")).containsExactly(
                "To chat from another computer, open this address in its web browser:",
                "  http://[fd00::5]:8080",
                "or run this there:",
                "  ./cartero chat --server ws://[fd00::5]:8080 --name YOUR_NAME");
    }
}
