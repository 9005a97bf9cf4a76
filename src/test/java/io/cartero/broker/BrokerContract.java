package io.cartero.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cartero.message.ErrorCode;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.message.QueueMessage;
import io.cartero.message.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Broker} implementation must honour. A subclass supplies fresh
 * brokers; every test uses rooms and queues with names of its own, so brokers that share a
 * server (Redis) can run it too.
 */
public abstract class BrokerContract {
    /** How long any single wait may take before a test fails. */
    protected static final Duration WAIT = Duration.ofSeconds(10);
    /** How long the large concurrency tests may take. */
    protected static final Duration LONG_WAIT = Duration.ofSeconds(30);
    /** A lease long enough never to end during a test. */
    protected static final Duration LEASE = Duration.ofMinutes(5);

    private final List<Broker> opened = new ArrayList<>();
    private ExecutorService threads;

    /** The broker under test, with default settings. */
    protected Broker broker;

    /** A fresh broker with default settings. */
    protected abstract Broker newBroker();

    /** A fresh broker that keeps at most {@code retention} messages per room. */
    protected abstract Broker newBroker(int retention);

    @BeforeEach
    void openBroker() {
        threads = Executors.newCachedThreadPool();
        broker = track(newBroker());
    }

    @AfterEach
    void closeBrokers() {
        threads.shutdownNow();
        for (Broker each : opened) {
            each.close();
        }
    }

    /** A broker keeping {@code retention} messages per room, closed after the test. */
    protected Broker brokerKeeping(int retention) {
        return track(newBroker(retention));
    }

    // ---------------------------------------------------------------- publishing and history

    @Test
    void publishReturnsTheStoredMessage() throws Exception {
        String room = name("general");
        long before = System.currentTimeMillis();

        Message stored = get(broker.rooms().publish(Publish.chat(room, "ana", "hola")));

        assertThat(stored.room()).isEqualTo(room);
        assertThat(stored.offset()).isEqualTo(1);
        assertThat(stored.epoch()).isNotBlank();
        assertThat(stored.sender()).isEqualTo("ana");
        assertThat(stored.text()).isEqualTo("hola");
        assertThat(stored.kind()).isEqualTo(Kind.CHAT);
        assertThat(stored.sentAt()).isBetween(before - 60_000, System.currentTimeMillis() + 60_000);
        assertThat(get(broker.rooms().history(room, Long.MAX_VALUE, 10))).containsExactly(stored);
    }

    @Test
    void offsetsStartAtOneAndGrowByOneWithoutGaps() throws Exception {
        String room = name("general");

        List<Message> stored = publishMany(broker, room, 50);

        assertThat(stored).extracting(Message::offset).containsExactlyElementsOf(range(1, 50));
        assertThat(stored).extracting(Message::epoch).containsOnly(stored.get(0).epoch());
    }

    @Test
    void eachRoomCountsItsOwnOffsets() throws Exception {
        String first = name("first");
        String second = name("second");

        publishMany(broker, first, 3);
        Message other = publish(broker, second, "hola");

        assertThat(other.offset()).isEqualTo(1);
        assertThat(publish(broker, first, "otra").offset()).isEqualTo(4);
    }

    @Test
    void keepsUnicodeTextIntact() throws Exception {
        String room = name("general");
        String text = "¿Qué tal? ñandú 😀 日本語 \u202Eabc";

        publish(broker, room, text);

        assertThat(get(broker.rooms().history(room, Long.MAX_VALUE, 1)))
                .extracting(Message::text).containsExactly(text);
    }

    @Test
    void historyPagesBackwardsOldestFirst() throws Exception {
        String room = name("general");
        publishMany(broker, room, 30);

        List<Message> newest = get(broker.rooms().history(room, Long.MAX_VALUE, 10));
        List<Message> previous = get(broker.rooms().history(room, 21, 10));
        List<Message> first = get(broker.rooms().history(room, 11, 100));

        assertThat(newest).extracting(Message::offset).containsExactlyElementsOf(range(21, 30));
        assertThat(previous).extracting(Message::offset).containsExactlyElementsOf(range(11, 20));
        assertThat(first).extracting(Message::offset).containsExactlyElementsOf(range(1, 10));
        assertThat(get(broker.rooms().history(room, 1, 10))).isEmpty();
    }

    @Test
    void historyOfAnUnknownRoomIsEmpty() throws Exception {
        assertThat(get(broker.rooms().history(name("nobody"), Long.MAX_VALUE, 10))).isEmpty();
    }

    @Test
    void retentionKeepsOnlyTheNewestMessages() throws Exception {
        Broker small = brokerKeeping(10);
        String room = name("general");

        publishMany(small, room, 25);

        List<Message> kept = get(small.rooms().history(room, Long.MAX_VALUE, 100));
        assertThat(kept).extracting(Message::offset).endsWith(25L).doesNotContain(1L, 5L);
        assertThat(kept.get(0).offset()).isLessThanOrEqualTo(16);
        assertContiguous(kept.stream().map(Message::offset).toList());
        assertThat(publish(small, room, "next").offset()).isEqualTo(26);
    }

    @Test
    void listShowsRoomsWithMessagesOrMembersSortedByName() throws Exception {
        String withMessages = name("bravo");
        String withMembers = name("alpha");
        String onlySubscribed = name("charlie");
        publishMany(broker, withMessages, 2);
        get(broker.presence().join(withMembers, "ana"));
        get(broker.rooms().subscribe(onlySubscribed, Position.now(), new Recorder()));

        List<RoomInfo> ours = get(broker.rooms().list()).stream()
                .filter(info -> Set.of(withMessages, withMembers, onlySubscribed)
                        .contains(info.name()))
                .toList();

        assertThat(ours).extracting(RoomInfo::name).containsExactly(withMembers, withMessages);
        assertThat(ours.get(0).members()).isEqualTo(1);
        assertThat(ours.get(0).lastOffset()).isEqualTo(1);
        assertThat(ours.get(1).members()).isZero();
        assertThat(ours.get(1).lastOffset()).isEqualTo(2);
        assertThat(ours.get(1).epoch()).isNotBlank();
        List<String> all = get(broker.rooms().list()).stream().map(RoomInfo::name).toList();
        assertThat(all).isSorted();
    }

    // ---------------------------------------------------------------- subscribing

    @Test
    void subscribingFromNowDeliversOnlyLaterMessages() throws Exception {
        String room = name("general");
        List<Message> earlier = publishMany(broker, room, 3);
        Recorder recorder = new Recorder();

        Subscription subscription = get(broker.rooms().subscribe(room, Position.now(), recorder));
        publishMany(broker, room, 2);

        assertThat(subscription.room()).isEqualTo(room);
        assertThat(subscription.resume()).isEqualTo(
                new Resume(Resume.Status.FRESH, earlier.get(0).epoch(), 3));
        recorder.awaitMessages(2, WAIT);
        assertThat(recorder.offsets()).containsExactly(4L, 5L);
    }

    @Test
    void subscribingFromTheLastFewDeliversThemThenLiveMessages() throws Exception {
        String room = name("general");
        publishMany(broker, room, 10);
        Recorder recorder = new Recorder();

        Subscription subscription = get(broker.rooms().subscribe(room, Position.last(3), recorder));
        publish(broker, room, "live");

        assertThat(subscription.resume().status()).isEqualTo(Resume.Status.FRESH);
        assertThat(subscription.resume().lastOffset()).isEqualTo(10);
        recorder.awaitMessages(4, WAIT);
        assertThat(recorder.offsets()).containsExactly(8L, 9L, 10L, 11L);
        assertThat(recorder.messages().get(3).text()).isEqualTo("live");
    }

    @Test
    void askingForMoreThanIsKeptDeliversEverythingKept() throws Exception {
        String room = name("general");
        publishMany(broker, room, 5);
        Recorder recorder = new Recorder();

        get(broker.rooms().subscribe(room, Position.last(Position.Last.MAX), recorder));

        recorder.awaitMessages(5, WAIT);
        assertThat(recorder.offsets()).containsExactlyElementsOf(range(1, 5));
    }

    @Test
    void theLastZeroMessagesIsLikeNow() throws Exception {
        String room = name("general");
        publishMany(broker, room, 5);
        Recorder recorder = new Recorder();

        get(broker.rooms().subscribe(room, Position.last(0), recorder));
        publish(broker, room, "live");

        recorder.awaitMessages(1, WAIT);
        assertThat(recorder.offsets()).containsExactly(6L);
    }

    @Test
    void resumingAfterAnOffsetDeliversWhatWasMissedThenLiveMessages() throws Exception {
        String room = name("general");
        String epoch = publishMany(broker, room, 10).get(0).epoch();
        Recorder recorder = new Recorder();

        Subscription subscription = get(broker.rooms().subscribe(room,
                Position.after(epoch, 6), recorder));
        publish(broker, room, "live");

        assertThat(subscription.resume()).isEqualTo(
                new Resume(Resume.Status.COMPLETE, epoch, 10));
        recorder.awaitMessages(5, WAIT);
        assertThat(recorder.offsets()).containsExactly(7L, 8L, 9L, 10L, 11L);
        assertThat(recorder.losses()).isEmpty();
    }

    @Test
    void resumingAfterTheLastOffsetDeliversOnlyLiveMessages() throws Exception {
        String room = name("general");
        String epoch = publishMany(broker, room, 4).get(0).epoch();
        Recorder recorder = new Recorder();

        Subscription subscription = get(broker.rooms().subscribe(room,
                Position.after(epoch, 4), recorder));
        publish(broker, room, "live");

        assertThat(subscription.resume().status()).isEqualTo(Resume.Status.COMPLETE);
        recorder.awaitMessages(1, WAIT);
        assertThat(recorder.offsets()).containsExactly(5L);
    }

    @Test
    void resumingAtOffsetZeroOfAnEmptyRoomIsComplete() throws Exception {
        String room = name("empty");
        Subscription first = get(broker.rooms().subscribe(room, Position.now(), new Recorder()));
        String epoch = first.resume().epoch();
        Recorder recorder = new Recorder();

        Subscription resumed = get(broker.rooms().subscribe(room,
                Position.after(epoch, 0), recorder));
        publish(broker, room, "first");

        assertThat(resumed.resume()).isEqualTo(new Resume(Resume.Status.COMPLETE, epoch, 0));
        recorder.awaitMessages(1, WAIT);
        assertThat(recorder.offsets()).containsExactly(1L);
    }

    @Test
    void resumingFromAnotherEpochIsLostAndStartsAtTheOldestKept() throws Exception {
        String room = name("general");
        String epoch = publishMany(broker, room, 3).get(0).epoch();
        Recorder recorder = new Recorder();

        Subscription subscription = get(broker.rooms().subscribe(room,
                Position.after("another" + epoch, 2), recorder));

        assertThat(subscription.resume()).isEqualTo(new Resume(Resume.Status.LOST, epoch, 3));
        recorder.awaitMessages(3, WAIT);
        assertThat(recorder.offsets()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void resumingAfterMessagesDroppedByRetentionIsLost() throws Exception {
        Broker small = brokerKeeping(10);
        String room = name("general");
        String epoch = publishMany(small, room, 25).get(0).epoch();
        long oldest = get(small.rooms().history(room, Long.MAX_VALUE, 100)).get(0).offset();
        Recorder recorder = new Recorder();

        Subscription subscription = get(small.rooms().subscribe(room,
                Position.after(epoch, 5), recorder));

        assertThat(subscription.resume()).isEqualTo(new Resume(Resume.Status.LOST, epoch, 25));
        recorder.awaitMessages((int) (25 - oldest + 1), WAIT);
        assertThat(recorder.offsets()).containsExactlyElementsOf(range(oldest, 25));
    }

    @Test
    void resumingRightBeforeTheOldestKeptIsComplete() throws Exception {
        Broker small = brokerKeeping(10);
        String room = name("general");
        String epoch = publishMany(small, room, 25).get(0).epoch();
        long oldest = get(small.rooms().history(room, Long.MAX_VALUE, 100)).get(0).offset();
        Recorder recorder = new Recorder();

        Subscription subscription = get(small.rooms().subscribe(room,
                Position.after(epoch, oldest - 1), recorder));

        assertThat(subscription.resume().status()).isEqualTo(Resume.Status.COMPLETE);
        recorder.awaitMessages((int) (25 - oldest + 1), WAIT);
        assertThat(recorder.offsets()).containsExactlyElementsOf(range(oldest, 25));
    }

    @Test
    void resumingBeyondTheLastOffsetIsRefused() throws Exception {
        String room = name("general");
        String epoch = publishMany(broker, room, 10).get(0).epoch();

        CompletableFuture<Subscription> refused = broker.rooms().subscribe(room,
                Position.after(epoch, 11), new Recorder());

        assertRefused(refused, ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void backlogAndLiveMessagesJoinWithoutGapOrDuplicateWhilePublishing() throws Exception {
        String room = name("busy");
        String epoch = publishMany(broker, room, 20).get(0).epoch();
        CountDownLatch subscribed = new CountDownLatch(1);
        List<Future<Integer>> running = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            String sender = "p" + p;
            running.add(threads.submit(() -> publishAround(room, sender, subscribed)));
        }

        List<Joined> joined = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Position from = i % 3 == 0 ? Position.now()
                    : i % 3 == 1 ? Position.last(15) : Position.after(epoch, 5 + i);
            Recorder recorder = new Recorder();
            joined.add(new Joined(from, recorder,
                    get(broker.rooms().subscribe(room, from, recorder)).resume()));
        }
        subscribed.countDown();
        long total = 20;
        for (Future<Integer> publisher : running) {
            total += publisher.get(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        for (Joined each : joined) {
            List<Long> expected = range(each.firstOffset(), total);
            each.recorder().awaitMessages(expected.size(), WAIT);
            assertThat(each.recorder().offsets()).as("from %s with %s", each.from(), each.resume())
                    .containsExactlyElementsOf(expected);
            assertThat(each.recorder().losses()).isEmpty();
        }
    }

    @Test
    void everySubscriberReceivesEveryMessage() throws Exception {
        String room = name("fanout");
        List<Recorder> recorders = subscribeMany(broker, room, 3, Position.now());

        publishMany(broker, room, 20);

        for (Recorder recorder : recorders) {
            recorder.awaitMessages(20, WAIT);
            assertThat(recorder.offsets()).containsExactlyElementsOf(range(1, 20));
        }
    }

    @Test
    void closingASubscriptionStopsItsDelivery() throws Exception {
        String room = name("general");
        Recorder closed = new Recorder();
        Subscription subscription = get(broker.rooms().subscribe(room, Position.now(), closed));
        publish(broker, room, "before");
        closed.awaitMessages(1, WAIT);

        subscription.close();
        subscription.close();
        Recorder witness = new Recorder();
        get(broker.rooms().subscribe(room, Position.now(), witness));
        publishMany(broker, room, 5);

        witness.awaitMessages(5, WAIT);
        assertThat(closed.offsets()).containsExactly(1L);
        assertThat(closed.ended()).isNotDone();
    }

    // ---------------------------------------------------------------- idempotency

    @Test
    void aRepeatedIdempotencyKeyReturnsTheFirstMessageAndStoresNothing() throws Exception {
        String room = name("general");
        Recorder recorder = new Recorder();
        get(broker.rooms().subscribe(room, Position.now(), recorder));

        Message first = get(broker.rooms().publish(Publish.chat(room, "ana", "hola")
                .withKey("k-1")));
        Message again = get(broker.rooms().publish(Publish.chat(room, "ana", "hola otra vez")
                .withKey("k-1")));
        publish(broker, room, "después");

        assertThat(again).isEqualTo(first);
        assertThat(get(broker.rooms().history(room, Long.MAX_VALUE, 10)))
                .extracting(Message::offset, Message::text)
                .containsExactly(tuple(1L, "hola"),
                        tuple(2L, "después"));
        recorder.awaitMessages(2, WAIT);
        assertThat(recorder.offsets()).containsExactly(1L, 2L);
    }

    @Test
    void idempotencyKeysOfDifferentRoomsAreIndependent() throws Exception {
        String first = name("first");
        String second = name("second");

        Message one = get(broker.rooms().publish(Publish.chat(first, "ana", "a").withKey("k")));
        Message two = get(broker.rooms().publish(Publish.chat(second, "ana", "b").withKey("k")));

        assertThat(one.room()).isEqualTo(first);
        assertThat(two.room()).isEqualTo(second);
        assertThat(two.text()).isEqualTo("b");
    }

    @Test
    void differentIdempotencyKeysStoreDifferentMessages() throws Exception {
        String room = name("general");

        Message one = get(broker.rooms().publish(Publish.chat(room, "ana", "a").withKey("k1")));
        Message two = get(broker.rooms().publish(Publish.chat(room, "ana", "a").withKey("k2")));

        assertThat(List.of(one.offset(), two.offset())).containsExactly(1L, 2L);
    }

    @Test
    void concurrentPublishesWithOneKeyStoreOneMessage() throws Exception {
        String room = name("general");
        List<Future<Message>> attempts = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 8; i++) {
            attempts.add(threads.submit(() -> {
                go.await();
                return get(broker.rooms().publish(Publish.chat(room, "ana", "x").withKey("k")));
            }));
        }

        go.countDown();
        Set<Message> results = new HashSet<>();
        for (Future<Message> attempt : attempts) {
            results.add(attempt.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }

        assertThat(results).hasSize(1);
        assertThat(get(broker.rooms().history(room, Long.MAX_VALUE, 10))).hasSize(1);
    }

    // ---------------------------------------------------------------- slow subscribers

    @Test
    void aSlowSubscriberDelaysNeitherThePublisherNorOtherSubscribers() throws Exception {
        Broker small = brokerKeeping(20);
        String room = name("general");
        CountDownLatch release = new CountDownLatch(1);
        Recorder slow = new BlockingRecorder(release);
        Recorder fast = new Recorder();
        get(small.rooms().subscribe(room, Position.now(), slow));
        get(small.rooms().subscribe(room, Position.now(), fast));

        publish(small, room, "first");
        slow.awaitMessages(1, WAIT);
        for (int i = 2; i <= 100; i++) {
            publish(small, room, "m" + i);
            fast.awaitMessages(i, WAIT);
        }
        release.countDown();

        assertThat(fast.offsets()).containsExactlyElementsOf(range(1, 100));
        await().atMost(WAIT).until(() -> slow.offsets().contains(100L));
        assertThat(slow.losses()).hasSize(1);
        Recorder.Lost lost = slow.losses().get(0);
        assertThat(lost.room()).isEqualTo(room);
        assertThat(lost.epoch()).isEqualTo(fast.messages().get(0).epoch());
        assertThat(lost.nextOffset()).isBetween(3L, 81L);
        int at = slow.events().indexOf(lost);
        List<Long> before = slow.offsets().subList(0, at);
        List<Long> after = slow.offsets().subList(at, slow.offsets().size());
        assertThat(before).startsWith(1L);
        assertContiguous(before);
        assertThat(after).containsExactlyElementsOf(range(lost.nextOffset(), 100));
    }

    @Test
    void aListenerThatThrowsStillGetsTheFollowingMessages() throws Exception {
        String room = name("general");
        Recorder recorder = new Recorder() {
            @Override
            public void onMessage(Message message) {
                super.onMessage(message);
                throw new IllegalStateException("listener bug at " + message.offset());
            }
        };
        get(broker.rooms().subscribe(room, Position.now(), recorder));

        publishMany(broker, room, 3);

        recorder.awaitMessages(3, WAIT);
        assertThat(recorder.offsets()).containsExactly(1L, 2L, 3L);
    }

    // ---------------------------------------------------------------- presence

    @Test
    void joiningPublishesAJoinMessageAndAddsAMember() throws Exception {
        String room = name("general");

        assertThat(get(broker.presence().join(room, "ana"))).isTrue();

        assertThat(get(broker.presence().members(room))).containsExactly("ana");
        Message join = get(broker.rooms().history(room, Long.MAX_VALUE, 10)).get(0);
        assertThat(join.kind()).isEqualTo(Kind.JOIN);
        assertThat(join.sender()).isEqualTo("ana");
        assertThat(join.text()).isEmpty();
        assertThat(join.offset()).isEqualTo(1);
    }

    @Test
    void joiningTwiceAddsOneMemberAndPublishesOnce() throws Exception {
        String room = name("general");

        get(broker.presence().join(room, "ana"));
        boolean again = get(broker.presence().join(room, "ana"));

        assertThat(again).isFalse();
        assertThat(get(broker.presence().members(room))).containsExactly("ana");
        assertThat(get(broker.rooms().history(room, Long.MAX_VALUE, 10))).hasSize(1);
    }

    @Test
    void leavingPublishesALeaveMessageAndRemovesTheMember() throws Exception {
        String room = name("general");
        get(broker.presence().join(room, "ana"));
        get(broker.presence().join(room, "luis"));

        assertThat(get(broker.presence().leave(room, "ana"))).isTrue();

        assertThat(get(broker.presence().members(room))).containsExactly("luis");
        Message leave = get(broker.rooms().history(room, Long.MAX_VALUE, 10)).get(2);
        assertThat(leave.kind()).isEqualTo(Kind.LEAVE);
        assertThat(leave.sender()).isEqualTo("ana");
        assertThat(leave.text()).isEmpty();
    }

    @Test
    void leavingARoomOneIsNotInPublishesNothing() throws Exception {
        String room = name("general");
        get(broker.presence().join(room, "luis"));

        assertThat(get(broker.presence().leave(room, "ana"))).isFalse();
        assertThat(get(broker.presence().leave(name("nobody"), "ana"))).isFalse();

        assertThat(get(broker.rooms().history(room, Long.MAX_VALUE, 10))).hasSize(1);
    }

    @Test
    void membersAreSortedByName() throws Exception {
        String room = name("general");
        for (String user : List.of("luis", "ana", "carmen")) {
            get(broker.presence().join(room, user));
        }

        assertThat(get(broker.presence().members(room))).containsExactly("ana", "carmen", "luis");
        assertThat(get(broker.presence().members(name("nobody")))).isEmpty();
    }

    @Test
    void subscribersSeeJoinsAndLeaves() throws Exception {
        String room = name("general");
        Recorder recorder = new Recorder();
        get(broker.rooms().subscribe(room, Position.now(), recorder));

        get(broker.presence().join(room, "ana"));
        publish(broker, room, "hola");
        get(broker.presence().leave(room, "ana"));

        recorder.awaitMessages(3, WAIT);
        assertThat(recorder.messages()).extracting(Message::kind)
                .containsExactly(Kind.JOIN, Kind.CHAT, Kind.LEAVE);
    }

    // ---------------------------------------------------------------- queues

    @Test
    void queuesAreFirstInFirstOut() throws Exception {
        String queue = name("tareas");
        for (String text : List.of("uno", "dos", "tres")) {
            QueueMessage pushed = get(broker.queues().push(queue, "ana", text));
            assertThat(pushed.queue()).isEqualTo(queue);
            assertThat(pushed.sender()).isEqualTo("ana");
        }

        List<String> popped = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            popped.add(get(broker.queues().pop(queue, Duration.ZERO)).orElseThrow().text());
        }

        assertThat(popped).containsExactly("uno", "dos", "tres");
        assertThat(get(broker.queues().pop(queue, Duration.ZERO))).isEmpty();
    }

    @Test
    void aWaitingPopGetsTheNextPush() throws Exception {
        String queue = name("tareas");
        CompletableFuture<Optional<QueueMessage>> waiting = broker.queues().pop(queue, WAIT);

        get(broker.queues().push(queue, "ana", "hola"));

        assertThat(get(waiting)).map(QueueMessage::text).contains("hola");
        assertThat(get(broker.queues().depth(queue))).isZero();
    }

    @Test
    void aPopThatTimesOutCompletesEmpty() throws Exception {
        String queue = name("tareas");

        Optional<QueueMessage> none = get(broker.queues().pop(queue, Duration.ofMillis(100)));

        assertThat(none).isEmpty();
    }

    @Test
    void aCancelledPopLosesNoMessage() throws Exception {
        String queue = name("tareas");
        CompletableFuture<Optional<QueueMessage>> cancelled = broker.queues().pop(queue, WAIT);

        cancelled.cancel(false);
        get(broker.queues().push(queue, "ana", "keep me"));

        assertThat(get(broker.queues().depth(queue))).isEqualTo(1);
        assertThat(get(broker.queues().pop(queue, WAIT))).map(QueueMessage::text)
                .contains("keep me");
    }

    @Test
    void depthCountsTheMessagesWaiting() throws Exception {
        String queue = name("tareas");
        assertThat(get(broker.queues().depth(queue))).isZero();

        for (int i = 0; i < 3; i++) {
            get(broker.queues().push(queue, "ana", "m" + i));
        }
        get(broker.queues().pop(queue, Duration.ZERO));

        assertThat(get(broker.queues().depth(queue))).isEqualTo(2);
    }

    @Test
    void eachQueuedMessageGoesToExactlyOneOfSeveralConsumers() throws Exception {
        String queue = name("tareas");
        int total = 1_000;
        AtomicInteger received = new AtomicInteger();
        List<Future<List<Integer>>> consumers = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            consumers.add(threads.submit(() -> consume(queue, total, received)));
        }

        for (int i = 0; i < total; i++) {
            get(broker.queues().push(queue, "ana", Integer.toString(i)));
        }

        List<Integer> all = new ArrayList<>();
        for (Future<List<Integer>> consumer : consumers) {
            List<Integer> mine = consumer.get(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(mine).isSorted();
            all.addAll(mine);
        }
        assertThat(all).hasSize(total).doesNotHaveDuplicates();
        assertThat(get(broker.queues().depth(queue))).isZero();
    }

    // ---------------------------------------------------------------- queues, at least once

    @Test
    void aConfirmedMessageIsGoneForGood() throws Exception {
        String queue = name("trabajos");
        get(broker.queues().push(queue, "ana", "imprimir"));

        Taken taken = get(broker.queues().take(queue, WAIT, LEASE)).orElseThrow();

        assertThat(taken.message().text()).isEqualTo("imprimir");
        assertThat(taken.attempt()).isEqualTo(1);
        assertThat(get(broker.queues().depth(queue))).isZero();
        assertThat(get(broker.queues().confirm(queue, taken.receipt()))).isTrue();
        assertThat(get(broker.queues().confirm(queue, taken.receipt()))).isFalse();
        assertThat(get(broker.queues().take(queue, Duration.ZERO, LEASE))).isEmpty();
    }

    @Test
    void aLeasedMessageGoesToNoOtherConsumer() throws Exception {
        String queue = name("trabajos");
        get(broker.queues().push(queue, "ana", "uno"));
        get(broker.queues().push(queue, "ana", "dos"));

        Taken first = get(broker.queues().take(queue, WAIT, LEASE)).orElseThrow();
        Taken second = get(broker.queues().take(queue, WAIT, LEASE)).orElseThrow();

        assertThat(List.of(first.message().text(), second.message().text()))
                .containsExactly("uno", "dos");
        assertThat(first.receipt()).isNotEqualTo(second.receipt());
        assertThat(get(broker.queues().pop(queue, Duration.ZERO))).isEmpty();
    }

    @Test
    void aWaitingTakeGetsTheNextPush() throws Exception {
        String queue = name("trabajos");
        CompletableFuture<Optional<Taken>> waiting = broker.queues().take(queue, WAIT, LEASE);

        get(broker.queues().push(queue, "ana", "hola"));

        assertThat(get(waiting)).map(t -> t.message().text()).contains("hola");
    }

    @Test
    void anUnconfirmedMessageGoesBackToTheHeadWhenItsLeaseEnds() throws Exception {
        String queue = name("trabajos");
        get(broker.queues().push(queue, "ana", "primero"));
        get(broker.queues().push(queue, "ana", "segundo"));
        Taken lost = get(broker.queues().take(queue, WAIT, Taken.SHORTEST_LEASE)).orElseThrow();

        await().atMost(WAIT).until(() -> get(broker.queues().depth(queue)) == 2);
        Taken again = get(broker.queues().take(queue, WAIT, LEASE)).orElseThrow();

        assertThat(again.message()).isEqualTo(lost.message());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(get(broker.queues().confirm(queue, lost.receipt()))).isFalse();
        assertThat(get(broker.queues().confirm(queue, again.receipt()))).isTrue();
        assertThat(get(broker.queues().pop(queue, WAIT))).map(QueueMessage::text)
                .contains("segundo");
    }

    @Test
    void aCancelledTakeLosesNoMessage() throws Exception {
        String queue = name("trabajos");
        CompletableFuture<Optional<Taken>> cancelled = broker.queues().take(queue, WAIT, LEASE);

        cancelled.cancel(false);
        get(broker.queues().push(queue, "ana", "keep me"));

        assertThat(get(broker.queues().depth(queue))).isEqualTo(1);
        assertThat(get(broker.queues().pop(queue, WAIT))).map(QueueMessage::text)
                .contains("keep me");
    }

    @Test
    void badLeasesAndReceiptsAreRefusedAndTakeNothing() throws Exception {
        String queue = name("trabajos");
        get(broker.queues().push(queue, "ana", "quieto"));

        assertRefused(broker.queues().take(queue, WAIT, Duration.ofMillis(999)),
                ErrorCode.INVALID_ARGUMENT);
        assertRefused(broker.queues().take(queue, WAIT, Duration.ofHours(2)),
                ErrorCode.INVALID_ARGUMENT);
        assertRefused(broker.queues().take(queue, Duration.ofMillis(-1), LEASE),
                ErrorCode.INVALID_ARGUMENT);
        assertRefused(broker.queues().take("No Vale", WAIT, LEASE), ErrorCode.INVALID_ROOM);
        assertRefused(broker.queues().confirm(queue, ""), ErrorCode.INVALID_ARGUMENT);
        assertRefused(broker.queues().confirm(queue, "r".repeat(129)),
                ErrorCode.INVALID_ARGUMENT);
        assertThat(get(broker.queues().confirm(queue, "no-such-receipt"))).isFalse();

        assertThat(get(broker.queues().depth(queue))).isEqualTo(1);
    }

    @Test
    void anOpenBrokerPassesItsCheck() throws Exception {
        assertThat(broker.check()).succeedsWithin(WAIT);
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void eightPublishersAndTwentySubscribersEachReceiveEveryMessageInOrder() throws Exception {
        String room = name("concurrency");
        int publishers = 8;
        int each = 1_000;
        List<Recorder> recorders = subscribeMany(broker, room, 20, Position.now());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            String sender = "p" + p;
            running.add(threads.submit(() -> {
                go.await();
                for (int i = 0; i < each; i++) {
                    get(broker.rooms().publish(Publish.chat(room, sender, Integer.toString(i))));
                }
                return null;
            }));
        }

        go.countDown();
        for (Future<?> publisher : running) {
            publisher.get(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        int total = publishers * each;
        for (Recorder recorder : recorders) {
            recorder.awaitMessages(total, LONG_WAIT);
            List<Message> messages = recorder.messages();
            assertThat(messages).extracting(Message::offset)
                    .containsExactlyElementsOf(range(1, total));
            Map<String, List<Integer>> bySender = messages.stream().collect(
                    Collectors.groupingBy(Message::sender,
                            Collectors.mapping(m -> Integer.parseInt(m.text()),
                                    Collectors.toList())));
            assertThat(bySender).hasSize(publishers);
            for (List<Integer> sequence : bySender.values()) {
                assertThat(sequence).containsExactlyElementsOf(
                        LongStream.range(0, each).mapToObj(i -> (int) i).toList());
            }
        }
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void invalidRoomNamesAreRefused() throws Exception {
        List<String> bads = List.of("", "General", "sala general", "a/b", "x".repeat(65), "ñu");
        for (String bad : bads) {
            assertThatThrownBy(() -> Publish.chat(bad, "ana", "hola"))
                    .isInstanceOfSatisfying(ValidationException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ROOM));
            assertRefused(broker.rooms().subscribe(bad, Position.now(), new Recorder()),
                    ErrorCode.INVALID_ROOM);
            assertRefused(broker.rooms().history(bad, Long.MAX_VALUE, 10),
                    ErrorCode.INVALID_ROOM);
            assertRefused(broker.presence().join(bad, "ana"), ErrorCode.INVALID_ROOM);
            assertRefused(broker.presence().leave(bad, "ana"), ErrorCode.INVALID_ROOM);
            assertRefused(broker.presence().members(bad), ErrorCode.INVALID_ROOM);
            assertRefused(broker.queues().push(bad, "ana", "hola"), ErrorCode.INVALID_ROOM);
            assertRefused(broker.queues().pop(bad, Duration.ZERO), ErrorCode.INVALID_ROOM);
            assertRefused(broker.queues().depth(bad), ErrorCode.INVALID_ROOM);
        }
        assertThat(get(broker.rooms().list())).extracting(RoomInfo::name)
                .doesNotContainAnyElementsOf(bads);
    }

    @Test
    void badTextIsRefusedAndNothingIsStored() throws Exception {
        String room = name("general");
        String queue = name("tareas");
        String tooLong = "a".repeat(4_001);

        assertRefusedNow(() -> Publish.chat(room, "ana", ""), ErrorCode.EMPTY_TEXT);
        assertRefusedNow(() -> Publish.chat(room, "ana", tooLong), ErrorCode.TEXT_TOO_LONG);
        assertRefusedNow(() -> Publish.chat(room, "ana", "a\0b"), ErrorCode.INVALID_TEXT);
        assertRefused(broker.queues().push(queue, "ana", ""), ErrorCode.EMPTY_TEXT);
        assertRefused(broker.queues().push(queue, "ana", tooLong), ErrorCode.TEXT_TOO_LONG);
        assertRefused(broker.queues().push(queue, "ana", "a\0b"), ErrorCode.INVALID_TEXT);

        assertThat(get(broker.rooms().history(room, Long.MAX_VALUE, 10))).isEmpty();
        assertThat(get(broker.queues().depth(queue))).isZero();
        assertThat(publish(broker, room, "a".repeat(4_000)).offset()).isEqualTo(1);
    }

    @Test
    void badUserNamesAreRefusedAndNothingIsStored() throws Exception {
        String room = name("general");
        String queue = name("tareas");

        assertRefusedNow(() -> Publish.chat(room, "", "hola"), ErrorCode.INVALID_NAME);
        assertRefused(broker.presence().join(room, "an\u0007a"), ErrorCode.INVALID_NAME);
        assertRefused(broker.presence().join(room, "x".repeat(33)), ErrorCode.INVALID_NAME);
        assertRefused(broker.presence().leave(room, ""), ErrorCode.INVALID_NAME);
        assertRefused(broker.queues().push(queue, "an\na", "hola"), ErrorCode.INVALID_NAME);

        assertThat(get(broker.presence().members(room))).isEmpty();
        assertThat(get(broker.rooms().history(room, Long.MAX_VALUE, 10))).isEmpty();
        assertThat(get(broker.queues().depth(queue))).isZero();
    }

    @Test
    void badPositionsAreRefused() {
        assertRefusedNow(() -> Position.last(-1), ErrorCode.INVALID_ARGUMENT);
        assertRefusedNow(() -> Position.last(Position.Last.MAX + 1), ErrorCode.INVALID_ARGUMENT);
        assertRefusedNow(() -> Position.after("e", -1), ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void badHistoryBoundsAreRefused() throws Exception {
        String room = name("general");
        publish(broker, room, "hola");

        assertRefused(broker.rooms().history(room, Long.MAX_VALUE, 0), ErrorCode.INVALID_ARGUMENT);
        assertRefused(broker.rooms().history(room, Long.MAX_VALUE, 10_001),
                ErrorCode.INVALID_ARGUMENT);
        assertRefused(broker.rooms().history(room, 0, 10), ErrorCode.INVALID_ARGUMENT);
        assertThat(get(broker.rooms().history(room, Long.MAX_VALUE, 10_000))).hasSize(1);
    }

    @Test
    void aNegativePopTimeoutIsRefusedAndTakesNothing() throws Exception {
        String queue = name("tareas");
        get(broker.queues().push(queue, "ana", "hola"));

        assertRefused(broker.queues().pop(queue, Duration.ofMillis(-1)),
                ErrorCode.INVALID_ARGUMENT);

        assertThat(get(broker.queues().depth(queue))).isEqualTo(1);
    }

    @Test
    void aTooLongIdempotencyKeyIsRefused() {
        assertRefusedNow(() -> Publish.chat("general", "ana", "x").withKey("k".repeat(129)),
                ErrorCode.INVALID_ARGUMENT);
        assertRefusedNow(() -> Publish.chat("general", "ana", "x").withKey(""),
                ErrorCode.INVALID_ARGUMENT);
    }

    // ---------------------------------------------------------------- names

    @Test
    void aReservedNameIsTakenUntilReleased() throws Exception {
        NameRegistry names = registry();
        String name = "ana" + ThreadLocalRandom.current().nextInt(1_000_000);

        assertThat(get(names.reserve(name, "s1"))).isTrue();
        assertThat(get(names.reserve(name, "s2"))).isFalse();
        names.release(name, "s1");
        assertThat(get(names.reserve(name, "s2"))).isTrue();
        names.release(name, "s2");
    }

    @Test
    void theHolderOfANameCanReserveItAgain() throws Exception {
        NameRegistry names = registry();
        String name = "eva" + ThreadLocalRandom.current().nextInt(1_000_000);

        assertThat(get(names.reserve(name, "s1"))).isTrue();
        assertThat(get(names.reserve(name, "s1"))).isTrue();
        names.release(name, "s2");

        assertThat(get(names.reserve(name, "s2"))).isFalse();
        names.release(name, "s1");
    }

    @Test
    void badHoldersAreRefused() {
        NameRegistry names = registry();

        assertRefused(names.reserve("ana", ""), ErrorCode.INVALID_ARGUMENT);
        assertRefused(names.reserve("ana", "with space"), ErrorCode.INVALID_ARGUMENT);
        assertRefused(names.reserve("ana", "x".repeat(129)), ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void concurrentReservationsOfOneNameHaveOneWinner() throws Exception {
        NameRegistry names = registry();
        String name = "luis" + ThreadLocalRandom.current().nextInt(1_000_000);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            attempts.add(threads.submit(() -> {
                go.await();
                return get(names.reserve(name, "s" + ThreadLocalRandom.current().nextInt()));
            }));
        }

        go.countDown();
        int winners = 0;
        for (Future<Boolean> attempt : attempts) {
            winners += attempt.get(WAIT.toSeconds(), TimeUnit.SECONDS) ? 1 : 0;
        }

        assertThat(winners).isEqualTo(1);
    }

    // ---------------------------------------------------------------- signals

    @Test
    void aSignalReachesEveryListenerOfItsRoomAndNoOther() throws Exception {
        String room = name("general");
        String other = name("other");
        SignalRecorder first = new SignalRecorder();
        SignalRecorder second = new SignalRecorder();
        SignalRecorder elsewhere = new SignalRecorder();
        get(broker.signals().listen(room, first));
        get(broker.signals().listen(room, second));
        get(broker.signals().listen(other, elsewhere));

        get(broker.signals().send(Signal.typing(room, "ana")));
        get(broker.signals().send(Signal.typing(other, "luis")));

        first.await(1);
        second.await(1);
        elsewhere.await(1);
        assertThat(first.signals()).containsExactly(new Signal(room, "ana", "typing"));
        assertThat(second.signals()).containsExactly(new Signal(room, "ana", "typing"));
        assertThat(elsewhere.signals()).containsExactly(Signal.typing(other, "luis"));
    }

    @Test
    void aSignalIsNeverStored() throws Exception {
        String room = name("quiet");
        SignalRecorder listener = new SignalRecorder();
        get(broker.signals().listen(room, listener));

        get(broker.signals().send(Signal.typing(room, "ana")));
        listener.await(1);
        SignalRecorder late = new SignalRecorder();
        get(broker.signals().listen(room, late));
        get(broker.signals().send(Signal.typing(room, "luis")));
        late.await(1);

        assertThat(late.signals()).containsExactly(Signal.typing(room, "luis"));
        assertThat(get(broker.rooms().history(room, Long.MAX_VALUE, 10))).isEmpty();
        assertThat(get(broker.rooms().list())).extracting(RoomInfo::name).doesNotContain(room);
    }

    @Test
    void aSignalToARoomNobodyListensToIsTakenAndLost() throws Exception {
        String room = name("empty");
        String other = name("other");
        SignalRecorder barrier = new SignalRecorder();
        get(broker.signals().listen(other, barrier));

        get(broker.signals().send(Signal.typing(room, "ana")));
        // Signals reach a node in the order sent (on Redis, one pub/sub connection), so once
        // the next one has arrived, ana's has come and gone with nobody listening.
        get(broker.signals().send(Signal.typing(other, "eva")));
        barrier.await(1);
        SignalRecorder listener = new SignalRecorder();
        get(broker.signals().listen(room, listener));
        get(broker.signals().send(Signal.typing(room, "luis")));

        listener.await(1);
        assertThat(listener.signals()).containsExactly(Signal.typing(room, "luis"));
    }

    @Test
    void aClosedSignalSubscriptionHearsNothingMore() throws Exception {
        String room = name("general");
        SignalRecorder closed = new SignalRecorder();
        SignalRecorder open = new SignalRecorder();
        SignalSubscription subscription = get(broker.signals().listen(room, closed));
        get(broker.signals().listen(room, open));
        SignalSubscription twice = get(broker.signals().listen(room, open));
        get(broker.signals().send(Signal.typing(room, "ana")));
        closed.await(1);
        open.await(2);

        subscription.close();
        subscription.close();
        twice.close();
        get(broker.signals().send(Signal.typing(room, "luis")));

        open.await(3);
        assertThat(subscription.room()).isEqualTo(room);
        assertThat(closed.signals()).containsExactly(Signal.typing(room, "ana"));
        assertThat(open.signals()).endsWith(Signal.typing(room, "luis")).hasSize(3);
    }

    @Test
    void aListenerThatThrowsStillGetsTheNextSignal() throws Exception {
        String room = name("general");
        SignalRecorder listener = new SignalRecorder();
        AtomicInteger calls = new AtomicInteger();
        get(broker.signals().listen(room, (Signal signal) -> {
            listener.onSignal(signal);
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("a listener that fails");
            }
        }));

        get(broker.signals().send(Signal.typing(room, "ana")));
        listener.await(1);
        get(broker.signals().send(Signal.typing(room, "luis")));

        listener.await(2);
        assertThat(listener.signals()).extracting(Signal::sender).containsExactly("ana", "luis");
    }

    @Test
    void badSignalsAreRefused() {
        assertRefusedNow(() -> Signal.typing("Not A Room", "ana"), ErrorCode.INVALID_ROOM);
        assertRefusedNow(() -> Signal.typing("general", " "), ErrorCode.INVALID_NAME);
        assertRefusedNow(() -> new Signal("general", "ana", "Typing!"),
                ErrorCode.INVALID_ARGUMENT);
        assertRefusedNow(() -> new Signal("general", "ana", ""), ErrorCode.INVALID_ARGUMENT);
        assertRefused(broker.signals().listen("no:such room", new SignalRecorder()),
                ErrorCode.INVALID_ROOM);
    }

    // ---------------------------------------------------------------- closing

    @Test
    void aClosedBrokerFailsEveryOperation() throws Exception {
        String room = name("general");
        String queue = name("tareas");
        publish(broker, room, "hola");

        broker.close();
        broker.close();

        assertBrokerFailure(broker.rooms().publish(Publish.chat(room, "ana", "x")));
        assertBrokerFailure(broker.rooms().subscribe(room, Position.now(), new Recorder()));
        assertBrokerFailure(broker.rooms().history(room, Long.MAX_VALUE, 10));
        assertBrokerFailure(broker.rooms().list());
        assertBrokerFailure(broker.presence().join(room, "ana"));
        assertBrokerFailure(broker.presence().leave(room, "ana"));
        assertBrokerFailure(broker.presence().members(room));
        assertBrokerFailure(broker.queues().push(queue, "ana", "x"));
        assertBrokerFailure(broker.queues().pop(queue, Duration.ZERO));
        assertBrokerFailure(broker.queues().depth(queue));
        assertBrokerFailure(broker.queues().take(queue, Duration.ZERO, LEASE));
        assertBrokerFailure(broker.queues().confirm(queue, "r1"));
        assertBrokerFailure(broker.signals().send(Signal.typing(room, "ana")));
        assertBrokerFailure(broker.signals().listen(room, new SignalRecorder()));
        if (broker instanceof NameRegistry names) {
            assertBrokerFailure(names.reserve("ana", "s1"));
        }
    }

    @Test
    void closingTheBrokerEndsOpenSubscriptions() throws Exception {
        String room = name("general");
        Recorder recorder = new Recorder();
        get(broker.rooms().subscribe(room, Position.now(), recorder));

        broker.close();

        assertThat(recorder.ended()).succeedsWithin(WAIT).isNotNull();
    }

    @Test
    void closingTheBrokerDoesNotEndSubscriptionsClosedBefore() throws Exception {
        String room = name("general");
        Recorder closedFirst = new Recorder();
        Recorder open = new Recorder();
        get(broker.rooms().subscribe(room, Position.now(), closedFirst)).close();
        get(broker.rooms().subscribe(room, Position.now(), open));

        broker.close();

        assertThat(open.ended()).succeedsWithin(WAIT);
        assertThat(closedFirst.ended()).isNotDone();
    }

    @Test
    void closingTheBrokerFailsWaitingPops() {
        CompletableFuture<Optional<QueueMessage>> waiting =
                broker.queues().pop(name("tareas"), WAIT);

        broker.close();

        assertBrokerFailure(waiting);
    }

    @Test
    void aClosedBrokerFailsItsCheck() {
        broker.close();

        assertBrokerFailure(broker.check());
    }

    @Test
    void aRunOfMessagesComesWithMoreUntilItsLastOne() throws Exception {
        String room = name("run");
        for (int i = 0; i < 10; i++) {
            publish(broker, room, "m" + i);
        }
        List<Boolean> more = new CopyOnWriteArrayList<>();
        Recorder recorder = new Recorder() {
            @Override
            public void onMessage(Message message, boolean hint) {
                more.add(hint);
                super.onMessage(message);
            }
        };

        get(broker.rooms().subscribe(room, Position.last(10), recorder));
        recorder.awaitMessages(10, WAIT);
        publish(broker, room, "live");
        recorder.awaitMessages(11, WAIT);

        assertThat(recorder.messages()).extracting(Message::text).startsWith("m0", "m1")
                .endsWith("m9", "live");
        // The backlog comes in one run: each message but its last says another follows.
        assertThat(more).hasSize(11).endsWith(false, false);
        assertThat(more.subList(0, 9)).containsOnly(true);
    }

    // ---------------------------------------------------------------- helpers

    /** A name for a room or queue of this test only. */
    protected static String name(String base) {
        return base + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    /** The value of {@code future}, waiting at most {@link #WAIT}. */
    public static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    protected static Message publish(Broker target, String room, String text) throws Exception {
        return get(target.rooms().publish(Publish.chat(room, "ana", text)));
    }

    /** Publishes {@code count} messages {@code m0}, {@code m1}, ... one after the other. */
    protected static List<Message> publishMany(Broker target, String room, int count)
            throws Exception {
        List<Message> stored = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            stored.add(publish(target, room, "m" + i));
        }
        return stored;
    }

    protected static List<Recorder> subscribeMany(Broker target, String room, int count,
            Position from) throws Exception {
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Recorder recorder = new Recorder();
            get(target.rooms().subscribe(room, from, recorder));
            recorders.add(recorder);
        }
        return recorders;
    }

    /** The offsets {@code first} to {@code last}, both included. */
    protected static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    protected static void assertContiguous(List<Long> offsets) {
        for (int i = 1; i < offsets.size(); i++) {
            assertThat(offsets.get(i)).as("offset after %s", offsets.get(i - 1))
                    .isEqualTo(offsets.get(i - 1) + 1);
        }
    }

    /** Asserts that {@code future} fails with a validation error of {@code code}. */
    public static void assertRefused(CompletableFuture<?> future, ErrorCode code) {
        assertThat(failureOf(future)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    /** Asserts that {@code action} throws a validation error of {@code code} at once. */
    protected static void assertRefusedNow(Runnable action, ErrorCode code) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    protected static void assertBrokerFailure(CompletableFuture<?> future) {
        assertThat(failureOf(future)).isInstanceOf(BrokerException.class);
    }

    /** What {@code future} failed with; fails the test if it succeeds or takes too long. */
    public static Throwable failureOf(CompletableFuture<?> future) {
        try {
            Object value = future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + WAIT, e);
        }
    }

    private String epochOf(String room) throws Exception {
        return get(broker.rooms().history(room, Long.MAX_VALUE, 1)).get(0).epoch();
    }

    /**
     * Publishes into {@code room} until {@code subscribed} opens (at most 500 messages, then
     * it waits for it), and then 100 more: the subscriptions open while it publishes, and
     * every subscriber gets live messages too. Returns how many messages it published.
     */
    private int publishAround(String room, String sender, CountDownLatch subscribed)
            throws Exception {
        int sent = 0;
        while (subscribed.getCount() > 0 && sent < 500) {
            get(broker.rooms().publish(Publish.chat(room, sender, "m" + sent++)));
        }
        if (!subscribed.await(LONG_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the subscribers did not subscribe within " + LONG_WAIT);
        }
        for (int i = 0; i < 100; i++) {
            get(broker.rooms().publish(Publish.chat(room, sender, "m" + sent++)));
        }
        return sent;
    }

    private NameRegistry registry() {
        assumeTrue(broker instanceof NameRegistry, "this broker reserves no names");
        return (NameRegistry) broker;
    }

    private List<Integer> consume(String queue, int total, AtomicInteger received)
            throws Exception {
        List<Integer> mine = new ArrayList<>();
        long deadline = System.nanoTime() + LONG_WAIT.toNanos();
        while (received.get() < total && System.nanoTime() < deadline) {
            Optional<QueueMessage> next = get(broker.queues().pop(queue, Duration.ofMillis(50)));
            if (next.isPresent()) {
                mine.add(Integer.parseInt(next.get().text()));
                received.incrementAndGet();
            }
        }
        return mine;
    }

    private Broker track(Broker opened) {
        this.opened.add(opened);
        return opened;
    }

    /** A subscription opened from {@code from}, its recorder and what it found at start. */
    private record Joined(Position from, Recorder recorder, Resume resume) {
        /**
         * The first offset it must get: what {@code from} asks for, counted from the newest
         * offset when it started, since a room may have grown by any amount meanwhile.
         */
        long firstOffset() {
            if (from instanceof Position.After after) {
                return after.offset() + 1;
            }
            if (from instanceof Position.Last last) {
                return Math.max(1, resume.lastOffset() - last.count() + 1);
            }
            return resume.lastOffset() + 1;
        }
    }

    /** A recorder whose first message blocks until {@code release} opens. */
    private static final class BlockingRecorder extends Recorder {
        private final CountDownLatch release;
        private final AtomicBoolean blocked = new AtomicBoolean();

        BlockingRecorder(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public void onMessage(Message message) {
            super.onMessage(message);
            if (blocked.compareAndSet(false, true)) {
                awaitRelease();
            }
        }

        private void awaitRelease() {
            try {
                release.await(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
