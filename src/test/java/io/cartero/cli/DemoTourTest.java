package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.cli.demo.EnterPause;
import io.cartero.cli.demo.GuidedTour;
import io.cartero.cli.demo.Keyboard;
import io.cartero.cli.demo.Narrator;
import io.cartero.cli.demo.Pause;
import io.cartero.cli.demo.StepRecord;
import io.cartero.cli.demo.TourRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The guided tour on the memory broker, straight through: every step happened, as its own
 * accounts say and as its printed lines say, in both languages.
 */
class DemoTourTest {

    @ParameterizedTest
    @EnumSource(Language.class)
    void everyStepHappenedAsItsAccountsSay(Language language) throws Exception {
        Run run = tour(language, "memory");
        TourRecord record = run.record();

        assertThat(record.finished()).isTrue();
        assertThat(record.steps()).extracting(StepRecord::key).containsExactly(
                "demo.decoupling", "demo.queue", "demo.fanout", "demo.async", "demo.resume",
                "demo.nodes");
        assertAccounts(record);
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void everyStepHappenedAsItsLinesSay(Language language) throws Exception {
        Run run = tour(language, "memory");

        DemoWords.of(language).assertLines(run.output(), run.record().waited(),
                run.record().lost());
    }

    @Test
    void waitsForEnterBetweenStepsAndLeavesWhenAskedTo() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Narrator narrator = narrator(bytes, Language.EN);
        Keyboard keyboard = new Keyboard(new ByteArrayInputStream("\n\nq\n".getBytes(
                StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        CompletableFuture<Void> stop = new CompletableFuture<>();
        TourRecord record;
        try (DemoBrokers brokers = DemoBrokers.open("memory")) {
            record = new GuidedTour(brokers, narrator, new EnterPause(keyboard, narrator, stop),
                    Duration.ZERO, stop).run();
        }

        TourOutput output = new TourOutput(bytes.toString(StandardCharsets.UTF_8));
        assertThat(record.finished()).isFalse();
        assertThat(record.steps()).extracting(StepRecord::key)
                .containsExactly("demo.decoupling", "demo.queue", "demo.fanout");
        assertThat(output.has(3)).isTrue();
        assertThat(output.has(4)).isFalse();
        assertThat(output.lines()).contains(
                "After each step, press Enter to go on, or type q and Enter to leave.",
                "You left the tour. Run ./cartero demo to start it again.");
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("Press Enter for step 2 (q and Enter to leave): ")
                .contains("Press Enter for step 4 (q and Enter to leave): ");
    }

    @Test
    void leavesWhenTheInputEndsOrTheProgramIsStopped() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Narrator narrator = narrator(bytes, Language.ES);
        Keyboard empty = new Keyboard(new ByteArrayInputStream(new byte[0]),
                StandardCharsets.UTF_8);
        CompletableFuture<Void> stop = new CompletableFuture<>();
        try (DemoBrokers brokers = DemoBrokers.open("memory")) {
            assertThat(new GuidedTour(brokers, narrator, new EnterPause(empty, narrator, stop),
                    Duration.ZERO, stop).run().steps()).hasSize(1);

            stop.complete(null);
            assertThat(new GuidedTour(brokers, narrator, Pause.NONE, Duration.ZERO, stop).run()
                    .steps()).hasSize(1);
        }
        assertThat(new TourOutput(bytes.toString(StandardCharsets.UTF_8)).lines())
                .filteredOn(line -> line.startsWith("Saliste de la visita.")).hasSize(2);
    }

    private static Narrator narrator(ByteArrayOutputStream bytes, Language language) {
        return new Narrator(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                StandardCharsets.UTF_8, Texts.of(language)::get);
    }

    /** Runs a whole tour on the broker named {@code broker}; its accounts and its output. */
    static Run tour(Language language, String broker) throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Narrator narrator = narrator(bytes, language);
        TourRecord record;
        try (DemoBrokers brokers = DemoBrokers.open(broker)) {
            record = new GuidedTour(brokers, narrator, Pause.NONE, Duration.ZERO,
                    new CompletableFuture<>()).run();
        }
        return new Run(record, new TourOutput(bytes.toString(StandardCharsets.UTF_8)));
    }

    /** What a finished tour's accounts must show, step by step. */
    static void assertAccounts(TourRecord record) {
        StepRecord decoupling = record.step("demo.decoupling").orElseThrow();
        assertThat(decoupling.receivedBy("consumer")).isEqualTo(decoupling.sent())
                .containsExactly("m1", "m2", "m3");

        StepRecord queue = record.step("demo.queue").orElseThrow();
        assertThat(queue.sent()).hasSize(6);
        assertSharedOut(queue.receivedBy("1"), queue.receivedBy("2"), queue.sent());

        StepRecord fanOut = record.step("demo.fanout").orElseThrow();
        assertThat(fanOut.sent()).hasSize(4);
        assertThat(fanOut.receivedBy("1")).isEqualTo(fanOut.sent());
        assertThat(fanOut.receivedBy("2")).isEqualTo(fanOut.sent());

        StepRecord async = record.step("demo.async").orElseThrow();
        assertThat(async.receivedBy("live")).containsExactly("m1");
        assertThat(async.receivedBy("back")).containsExactly("m2", "m3", "m4");
        assertThat(async.waited()).isEqualTo(async.receivedBy("back").size());

        StepRecord resume = record.step("demo.resume").orElseThrow();
        assertThat(resume.sent()).hasSize(5 + GuidedTour.RETENTION + 3);
        assertThat(resume.receivedBy("live")).containsExactly("m1", "m2");
        assertThat(resume.receivedBy("resumed")).containsExactly("m3", "m4", "m5");
        assertThat(resume.receivedBy("after_loss")).containsExactly("m9", "m10", "m11", "m12",
                "m13");
        assertThat(resume.lost()).isEqualTo(3);
        assertThat(resume.waited()).isEqualTo(3 + GuidedTour.RETENTION);

        StepRecord nodes = record.step("demo.nodes").orElseThrow();
        assertThat(nodes.receivedBy("consumer")).isEqualTo(nodes.sent()).hasSize(3);
        assertThat(nodes.crossed()).isEqualTo(3);

        assertThat(record.sent()).isEqualTo(33);
        assertThat(record.received()).isEqualTo(34);
        assertThat(record.waited()).isEqualTo(11);
        assertThat(record.lost()).isEqualTo(3);
    }

    /** Two consumers of a queue: no message reached both, and together they got them all. */
    static void assertSharedOut(List<String> first, List<String> second, List<String> sent) {
        Set<String> both = new HashSet<>(first);
        both.retainAll(second);
        assertThat(both).as("messages that reached both consumers").isEmpty();
        List<String> together = new ArrayList<>(first);
        together.addAll(second);
        assertThat(together).containsExactlyInAnyOrderElementsOf(sent);
    }

    /**
     * A tour's accounts and its printed text.
     *
     * @param record the accounts
     * @param output the text
     */
    record Run(TourRecord record, TourOutput output) {
    }

    /** The words of one language that the printed tour is checked by. */
    enum DemoWords {
        EN("consumer", "consumer 1", "consumer 2", "Luis (node B)", "consumer goes away.",
                "consumer comes back.", "waiting in orders", "consumer disconnects",
                "consumer reconnects", "messages #6 to #8 are gone", "node A listens at",
                "node B listens at"),
        ES("consumidor", "consumidor 1", "consumidor 2", "Luis (nodo B)", "consumidor se va.",
                "consumidor vuelve.", "esperando en pedidos", "consumidor se desconecta",
                "consumidor se reconecta", "los mensajes #6 a #8 ya no están",
                "el nodo A escucha en", "el nodo B escucha en");

        private final String consumer;
        private final String first;
        private final String second;
        private final String luis;
        private final String away;
        private final String back;
        private final String waiting;
        private final String disconnects;
        private final String reconnects;
        private final String gone;
        private final String nodeA;
        private final String nodeB;

        DemoWords(String consumer, String first, String second, String luis, String away,
                String back, String waiting, String disconnects, String reconnects,
                String gone, String nodeA, String nodeB) {
            this.consumer = consumer;
            this.first = first;
            this.second = second;
            this.luis = luis;
            this.away = away;
            this.back = back;
            this.waiting = waiting;
            this.disconnects = disconnects;
            this.reconnects = reconnects;
            this.gone = gone;
            this.nodeA = nodeA;
            this.nodeB = nodeB;
        }

        static DemoWords of(Language language) {
            return valueOf(language.name());
        }

        /**
         * Checks each step by its printed lines, and the summary's totals against them and
         * against the {@code waited} and {@code lost} counts of the run.
         */
        void assertLines(TourOutput output, int waited, int lost) {
            assertThat(output.sent(1)).containsExactly("m1", "m2", "m3");
            assertThat(output.received(1)).containsExactly(
                    Map.entry(consumer, List.of("m1", "m2", "m3")));

            Map<String, List<String>> queue = output.received(2);
            assertThat(queue.keySet()).containsExactlyInAnyOrder(first, second);
            assertSharedOut(queue.get(first), queue.get(second), output.sent(2));

            assertThat(output.received(3)).containsOnlyKeys(first, second)
                    .allSatisfy((who, got) -> assertThat(got).isEqualTo(output.sent(3)));

            assertAsync(output);
            assertResume(output);
            assertNodes(output);
            assertSummary(output, waited, lost);
            assertFits(output);
        }

        private void assertAsync(TourOutput output) {
            assertThat(TourOutput.receivedBetween(output.between(4, "  " + away,
                    "  " + back))).isEmpty();
            assertThat(TourOutput.receivedBetween(output.after(4, "  " + back)))
                    .containsExactly(Map.entry(consumer, List.of("m2", "m3", "m4")));
            String waitingLine = output.step(4).stream().filter(line -> line.contains(waiting))
                    .findFirst().orElseThrow();
            assertThat(waitingLine).contains(" 3 ");
        }

        /**
         * Nothing arrives while the consumer is away; after the first reconnection exactly the
         * missed ones; after the second the broker says what is gone, then what is left.
         */
        private void assertResume(TourOutput output) {
            List<String> lines = output.step(5);
            List<Integer> away = indexes(lines, "  " + disconnects);
            List<Integer> back = indexes(lines, "  " + reconnects);
            assertThat(away).hasSize(2);
            assertThat(back).hasSize(2);

            assertThat(TourOutput.receivedBetween(lines.subList(away.get(0), back.get(0))))
                    .isEmpty();
            assertThat(TourOutput.receivedBetween(lines.subList(back.get(0), away.get(1))))
                    .containsExactly(Map.entry(consumer, List.of("m3", "m4", "m5")));
            assertThat(TourOutput.receivedBetween(lines.subList(away.get(1), back.get(1))))
                    .isEmpty();
            assertThat(lines.get(back.get(1) + 1)).contains(gone);
            assertThat(TourOutput.receivedBetween(lines.subList(back.get(1), lines.size())))
                    .containsExactly(Map.entry(consumer,
                            List.of("m9", "m10", "m11", "m12", "m13")));
            assertThat(output.sent(5)).hasSize(13);
        }

        private static List<Integer> indexes(List<String> lines, String start) {
            return IntStream.range(0, lines.size())
                    .filter(i -> lines.get(i).startsWith(start)).boxed().toList();
        }

        private void assertNodes(TourOutput output) {
            String a = output.step(6).stream().filter(line -> line.contains(nodeA))
                    .findFirst().orElseThrow();
            String b = output.step(6).stream().filter(line -> line.contains(nodeB))
                    .findFirst().orElseThrow();
            assertThat(a.substring(a.indexOf("ws://"))).isNotEqualTo(
                    b.substring(b.indexOf("ws://")));
            assertThat(output.received(6)).containsExactly(
                    Map.entry(luis, List.of("m1", "m2", "m3")));
        }

        private static void assertSummary(TourOutput output, int waited, int lost) {
            String total = output.step(7).stream().filter(line -> line.startsWith("  total"))
                    .findFirst().orElseThrow();
            int[] figures = Arrays.stream(total.substring("  total".length()).strip()
                    .split(" +")).mapToInt(Integer::parseInt).toArray();
            int sentLines = IntStream.rangeClosed(1, 6).map(s -> output.sent(s).size()).sum();
            int receivedLines = IntStream.rangeClosed(1, 6).map(s -> output.received(s)
                    .values().stream().mapToInt(List::size).sum()).sum();

            assertThat(figures).containsExactly(sentLines, receivedLines, waited, lost);
        }

        private static void assertFits(TourOutput output) {
            assertThat(output.lines()).allSatisfy(line -> assertThat(
                    line.codePointCount(0, line.length())).as(line).isLessThanOrEqualTo(80));
        }
    }
}
