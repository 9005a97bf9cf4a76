package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.RoomListener;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.message.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BrokerGateTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MemoryBroker broker = new MemoryBroker();
    private final BrokerGate gate = new BrokerGate(broker);

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void aCutInTheMiddleOfARunEndsTheRunForTheListenerAndHoldsTheRest() throws Exception {
        for (int i = 0; i < 10; i++) {
            broker.rooms().publish(Publish.chat("aula", "ana", "m" + i))
                    .get(10, TimeUnit.SECONDS);
        }
        List<String> events = new CopyOnWriteArrayList<>();
        RoomListener listener = new RoomListener() {
            @Override
            public void onMessage(Message message) {
                onMessage(message, false);
            }

            @Override
            public void onMessage(Message message, boolean more) {
                events.add(message.text() + (more ? " more" : ""));
                if (message.text().equals("m4")) {
                    gate.cut(true);
                }
            }

            @Override
            public void onRunEnd() {
                events.add("run end");
            }
        };

        gate.rooms().subscribe("aula", Position.last(10), listener).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> gate.waiting() == 5);

        assertThat(events).containsExactly("m0 more", "m1 more", "m2 more", "m3 more",
                "m4 more", "run end");

        gate.cut(false);

        assertThat(gate.waiting()).isZero();
        assertThat(events).endsWith("run end", "m5", "m6", "m7", "m8", "m9");
    }
}
