package io.cartero.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/** A signal listener that keeps every signal it hears. Thread-safe. */
public final class SignalRecorder implements SignalListener {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Every signal heard, in order of arrival; guarded by itself. */
    private final List<Signal> signals = new ArrayList<>();

    @Override
    public void onSignal(Signal signal) {
        synchronized (signals) {
            signals.add(signal);
        }
    }

    /** Every signal heard so far. */
    public List<Signal> signals() {
        synchronized (signals) {
            return List.copyOf(signals);
        }
    }

    /** Waits until at least {@code count} signals have come. */
    public void await(int count) {
        Awaitility.await().atMost(WAIT).until(() -> signals().size() >= count);
    }
}
