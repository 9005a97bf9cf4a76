package io.cartero.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real jar: one server process, and send, receive and chat as separate processes. */
class TerminalProgramsIT {
    private static final String TIME = "\\[\\d\\d:\\d\\d:\\d\\d\\] ";

    private static RunningServer server;

    @BeforeAll
    static void startServer() {
        server = RunningServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void receiverPrintsWhatSendGetsOnItsInput() {
        try (CarteroProcess receiver = receive("--room", "general")) {
            awaitSubscribed(receiver, "general");

            CarteroProcess sender = CarteroProcess.run("hola\n", "send", "--server",
                    server.url(), "--name", "ana", "--room", "general");

            assertThat(sender.awaitExit()).isZero();
            assertThat(receiver.awaitOut(TIME + "ana: hola$")).isNotNull();
        }
    }

    @Test
    void everyReceiverOfARoomGetsEveryMessage() {
        try (CarteroProcess first = receive("--room", "fanout");
                CarteroProcess second = receive("--room", "fanout")) {
            awaitSubscribed(first, "fanout");
            awaitSubscribed(second, "fanout");

            send("fanout", "uno\ndos\ntres\n");

            for (CarteroProcess receiver : List.of(first, second)) {
                List<String> got = receiver.awaitOutCount(TIME + "ana: ", 3);
                assertThat(got).hasSize(3);
                assertThat(got.get(0)).endsWith("ana: uno");
                assertThat(got.get(2)).endsWith("ana: tres");
            }
        }
    }

    @Test
    void receiversOfAQueueShareTheMessagesWithNoneLostAndNoneTwice() {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            lines.append("tarea ").append(i).append('\n');
        }
        try (CarteroProcess first = receive("--queue", "tareas");
                CarteroProcess second = receive("--queue", "tareas")) {
            awaitSubscribed(first, "tareas");
            awaitSubscribed(second, "tareas");
            CarteroProcess sender = CarteroProcess.run(lines.toString(), "send", "--server",
                    server.url(), "--name", "ana", "--queue", "tareas");
            assertThat(sender.awaitExit()).isZero();

            await().atMost(CarteroProcess.PATIENCE).until(() ->
                    tasks(first).size() + tasks(second).size() >= 40);

            List<String> all = new ArrayList<>(tasks(first));
            all.addAll(tasks(second));
            assertThat(all).hasSize(40);
            assertThat(new HashSet<>(all)).hasSize(40);
            assertThat(tasks(first)).isNotEmpty();
            assertThat(tasks(second)).isNotEmpty();
        }
    }

    @Test
    void historyPrintsTheLastMessagesFirstThenLiveOnes() {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 15; i++) {
            lines.append("antes ").append(i).append('\n');
        }
        send("historia", lines.toString());

        try (CarteroProcess receiver = receive("--room", "historia", "--history", "10")) {
            List<String> backlog = receiver.awaitOutCount("ana: antes ", 10);
            assertThat(backlog).hasSize(10);
            assertThat(backlog.get(0)).endsWith("antes 6");
            assertThat(backlog.get(9)).endsWith("antes 15");

            send("historia", "después\n");
            assertThat(receiver.awaitOut(TIME + "ana: después$")).isNotNull();
        }
    }

    @Test
    void jsonOutputIsOneObjectPerLine() {
        try (CarteroProcess receiver = receive("--room", "scripts", "--json")) {
            awaitSubscribed(receiver, "scripts");
            send("scripts", "para máquinas\n");

            String line = receiver.awaitOut("para máquinas");
            assertThat(line).startsWith("{").endsWith("}")
                    .contains("\"sender\":\"ana\"", "\"room\":\"scripts\"", "\"offset\":");
        }
    }

    @Test
    void badInputIsRefusedClearlyAndTheNodeKeepsServing() {
        try (CarteroProcess receiver = receive("--room", "sana")) {
            awaitSubscribed(receiver, "sana");

            assertRefused("room", "send", "--server", server.url(), "--name", "ana",
                    "--room", "Sala Mayor", "-m", "hola");
            assertRefused("empty", "send", "--server", server.url(), "--name", "ana",
                    "--room", "sana", "-m", "");
            assertRefused("4000|4,000|long", "send", "--server", server.url(), "--name",
                    "ana", "--room", "sana", "-m", "x".repeat(100_000));
            assertRefused("name", "send", "--server", server.url(), "--name", "a\u001b[2Jb",
                    "--room", "sana", "-m", "hola");

            send("sana", "sigo aquí\n");
            assertThat(receiver.awaitOut(TIME + "ana: sigo aquí$")).isNotNull();
            assertThat(receiver.outText()).doesNotContain("Sala Mayor");
        }
    }

    @Test
    void aSecondPersonCannotTakeANameInUse() {
        try (CarteroProcess ana = CarteroProcess.start("chat", "--server", server.url(),
                "--name", "ana-unica", "--room", "nombres")) {
            ana.awaitAny("nombres");

            CarteroProcess impostor = CarteroProcess.run("", "chat", "--server", server.url(),
                    "--name", "ana-unica", "--room", "nombres");

            assertThat(impostor.awaitExit()).isEqualTo(1);
            assertThat(impostor.errText()).contains("already in use", "--name");
            assertThat(ana.isAlive()).isTrue();
        }
    }

    @Test
    void anUnreachableServerIsExplained() {
        int port = RunningServer.freePort();
        CarteroProcess sender = CarteroProcess.run("", "send", "--server",
                "ws://127.0.0.1:" + port, "--name", "ana", "-m", "hola");

        assertThat(sender.awaitExit()).isEqualTo(3);
        assertThat(sender.errText()).contains("127.0.0.1:" + port);
    }

    @Test
    void spanishIsSpokenWhenTheSystemSpeaksIt() {
        CarteroProcess sender = CarteroProcess.startIn("es", "send", "--server", server.url(),
                "--name", "ana", "--room", "sala", "-m", "");
        sender.closeInput();

        assertThat(sender.awaitExit()).isEqualTo(1);
        assertThat(sender.errText()).containsIgnoringCase("mensaje");
    }

    private static void assertRefused(String expected, String... args) {
        CarteroProcess p = CarteroProcess.run("", args);
        assertThat(p.awaitExit()).as("exit code of %s", String.join(" ", args)).isEqualTo(1);
        assertThat(p.errText()).as("what %s printed", args[0])
                .containsPattern("(?i)" + expected);
    }

    private static CarteroProcess receive(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "receive";
        all[1] = "--server";
        all[2] = server.url();
        System.arraycopy(args, 0, all, 3, args.length);
        return CarteroProcess.start(all);
    }

    private static void send(String room, String lines) {
        CarteroProcess sender = CarteroProcess.run(lines, "send", "--server", server.url(),
                "--name", "ana", "--room", room);
        assertThat(sender.awaitExit()).as(sender.errText()).isZero();
    }

    /** A receiver says, on one of its outputs, which room it listens to once it does. */
    private static void awaitSubscribed(CarteroProcess receiver, String room) {
        receiver.awaitAny(room);
    }

    private static List<String> tasks(CarteroProcess receiver) {
        return receiver.out().stream().filter(l -> l.matches(TIME + "ana: tarea \\d+"))
                .map(l -> l.substring(l.indexOf("tarea"))).toList();
    }
}
