package io.cartero.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.Publish;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node stopped and started again on the same data folder (the embedded broker keeps the
 * history): the pages say they are reconnecting, then resume where they were, with every
 * message once, including the one written while the node was away.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NeedsChromium.class)
class ReconnectBrowserIT {
    private static final String ROOM = "resume";

    @TempDir
    Path data;

    /** This test's data folder, inside {@link #data}. */
    private Path folder;
    private WebNode node;
    private Browser first;
    private Browser second;
    @RegisterExtension
    final FailureRecorder failures = new FailureRecorder()
            .watch(() -> first)
            .watch(() -> second);

    @BeforeAll
    void startBrowsers() {
        first = Browser.start("en", 1280, 800);
        second = Browser.start("es", 1280, 800);
    }

    @BeforeEach
    void startNode(TestInfo test) {
        folder = data.resolve(test.getTestMethod().orElseThrow().getName());
        node = WebNode.onDisk(folder);
    }

    @AfterEach
    void stopNode() {
        ChatBrowserIT.closeQuietly(node);
    }

    @AfterAll
    void stopBrowsers() {
        ChatBrowserIT.closeQuietly(first);
        ChatBrowserIT.closeQuietly(second);
    }

    @Test
    void resumesAfterARestartWithNoDuplicateAndNoGap() throws Exception {
        ChatPage ana = new ChatPage(first).openFresh(node.page()).enterName("ana")
                .openRoom(ROOM);
        ChatPage bea = new ChatPage(second).openFresh(node.page()).enterName("bea")
                .openRoom(ROOM);
        for (String text : List.of("one", "two", "three")) {
            ana.send(text);
        }
        bea.await(d -> bea.texts().equals(List.of("one", "two", "three")));

        node.stop();
        ana.await(d -> "reconnecting".equals(ana.statusPhase()));
        assertThat(ana.status()).startsWith("Connection lost; reconnecting… (attempt ");
        bea.await(d -> bea.status()
                .startsWith("Se perdió la conexión; reconectando… (intento "));
        ana.send("written while away");
        ana.await(d -> ana.waitingTexts().equals(List.of("written while away")));

        node.start(broker -> broker.rooms()
                .publish(Publish.chat(ROOM, "carlos", "sent while they were away"))
                .orTimeout(10, TimeUnit.SECONDS).join());

        List<String> expected = List.of("one", "two", "three", "sent while they were away",
                "written while away");
        for (ChatPage page : List.of(ana, bea)) {
            page.await(d -> page.texts().equals(expected));
            page.await(d -> "connected".equals(page.statusPhase()));
            assertThat(page.offsets()).isSorted().doesNotHaveDuplicates();
            assertThat(page.waitingTexts()).isEmpty();
            assertThat(page.quietLines()).noneMatch(line -> line.contains("lost")
                    || line.contains("perdió"));
        }
        assertThat(node.broker().rooms().history(ROOM, Long.MAX_VALUE, 100)
                .get(10, TimeUnit.SECONDS))
                .filteredOn(message -> message.text().equals("written while away"))
                .hasSize(1);
    }

    @Test
    void saysSoInTheConversationWhenTheHistoryWasLost() throws Exception {
        ChatPage ana = new ChatPage(first).openFresh(node.page()).enterName("ana")
                .openRoom(ROOM);
        ana.send("before the wipe");
        ana.await(d -> ana.texts().equals(List.of("before the wipe")));

        node.stop();
        ana.await(d -> "reconnecting".equals(ana.statusPhase()));
        deleteRecursively(folder);
        node.start(broker -> { });

        ana.await(d -> ana.quietLines().contains(
                "History was lost: some earlier messages of resume are gone."));
        ana.send("after the wipe");
        ana.await(d -> ana.texts().equals(List.of("before the wipe", "after the wipe")));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
