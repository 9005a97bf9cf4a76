package io.cartero.protocol;

import io.cartero.message.Kind;
import io.cartero.message.Message;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The frame codec on the frames of the hot path: a {@code message} frame out (as text and as
 * UTF-8 bytes, what the node sends once per room message) and a {@code send} frame in.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBench {
    private final FrameCodec codec = new FrameCodec();
    private final Frame.MessageFrame message = new Frame.MessageFrame(null, new Message("general",
            12_345, "k7d2q9x4mb", "ana", "x".repeat(100), 1_764_776_527_000L, Kind.CHAT));
    private final String send = "{\"type\":\"send\",\"id\":42,\"room\":\"general\",\"text\":\""
            + "x".repeat(100) + "\"}";

    @Benchmark
    public String encodeMessageFrameToText() {
        return codec.encode(message);
    }

    @Benchmark
    public byte[] encodeMessageFrameToUtf8() {
        return codec.encodeUtf8(message);
    }

    @Benchmark
    public Frame decodeSendFrame() {
        return codec.decode(send);
    }
}
