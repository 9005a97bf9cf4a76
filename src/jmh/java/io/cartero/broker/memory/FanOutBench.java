package io.cartero.broker.memory;

import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Subscription;
import io.cartero.message.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory broker's fan-out: one publish to a room with {@code subscribers} subscriptions,
 * until every subscription's listener has it. The score is per publish; divided by the
 * subscribers it is the broker's share of one delivery (no sockets, no JSON).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FanOutBench {
    @Param({"10", "100", "1000"})
    public int subscribers;

    private MemoryBroker broker;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final AtomicLong delivered = new AtomicLong();
    private long published;

    @Setup(Level.Trial)
    public void subscribe() {
        broker = new MemoryBroker();
        RoomListener counting = new RoomListener() {
            @Override
            public void onMessage(Message message) {
                delivered.incrementAndGet();
            }
        };
        for (int i = 0; i < subscribers; i++) {
            subscriptions.add(broker.rooms().subscribe("bench", Position.now(), counting)
                    .join());
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        subscriptions.forEach(Subscription::close);
        broker.close();
    }

    @Benchmark
    public long publishToEverySubscriber() {
        broker.rooms().publish(Publish.chat("bench", "ana", "hola")).join();
        published++;
        long owed = published * subscribers;
        while (delivered.get() < owed) {
            Thread.onSpinWait();
        }
        return owed;
    }
}
