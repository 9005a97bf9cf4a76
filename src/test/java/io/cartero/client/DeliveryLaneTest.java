package io.cartero.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryLaneTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void runsTasksOneAtATimeInTheOrderOffered() {
        DeliveryLane lane = new DeliveryLane("general", pool, 10_000);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        int[] running = new int[1];
        List<Integer> overlaps = new CopyOnWriteArrayList<>();

        for (int i = 0; i < 5_000; i++) {
            int n = i;
            assertThat(lane.offer(() -> {
                if (++running[0] != 1) {
                    overlaps.add(n);
                }
                seen.add(n);
                running[0]--;
            })).isTrue();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 5_000);
        assertThat(seen).containsExactlyElementsOf(IntStream.range(0, 5_000).boxed().toList());
        assertThat(overlaps).isEmpty();
    }

    @Test
    void aBlockedLaneDoesNotDelayAnother() throws InterruptedException {
        DeliveryLane slow = new DeliveryLane("slow", pool, 10);
        DeliveryLane fast = new DeliveryLane("fast", pool, 10);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch fastRan = new CountDownLatch(1);

        slow.offer(() -> awaitQuietly(release));
        fast.offer(fastRan::countDown);

        assertThat(fastRan.await(10, TimeUnit.SECONDS)).isTrue();
        release.countDown();
    }

    @Test
    void refusesTasksBeyondItsCapacity() {
        DeliveryLane lane = new DeliveryLane("general", pool, 2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        lane.offer(() -> {
            started.countDown();
            awaitQuietly(release);
        });
        awaitQuietly(started);

        assertThat(lane.offer(() -> { })).isTrue();
        assertThat(lane.offer(() -> { })).isTrue();
        assertThat(lane.offer(() -> { })).isFalse();
        release.countDown();
    }

    @Test
    void finishRunsItsTaskAfterTheQueuedOnesThenRefusesMore() {
        DeliveryLane lane = new DeliveryLane("general", pool, 1);
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        lane.offer(() -> {
            awaitQuietly(release);
            seen.add("message");
        });

        lane.finish(() -> seen.add("end"));
        lane.finish(() -> seen.add("second end"));
        assertThat(lane.offer(() -> seen.add("late"))).isFalse();
        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly("message", "end");
    }

    @Test
    void discardDropsWhatHasNotRun() throws InterruptedException {
        DeliveryLane lane = new DeliveryLane("general", pool, 10);
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        lane.offer(() -> {
            started.countDown();
            awaitQuietly(release);
            seen.add("first");
        });
        lane.offer(() -> seen.add("second"));
        awaitQuietly(started);

        lane.discard();
        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("first"));
        assertThat(lane.offer(() -> seen.add("late"))).isFalse();
        Thread.sleep(100);
        assertThat(seen).containsExactly("first");
    }

    @Test
    void aFailingTaskDoesNotStopTheLane() {
        DeliveryLane lane = new DeliveryLane("general", pool, 10);
        List<String> seen = new CopyOnWriteArrayList<>();

        lane.offer(() -> {
            throw new IllegalStateException("listener bug");
        });
        lane.offer(() -> seen.add("after"));

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("after"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
