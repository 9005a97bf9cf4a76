package io.cartero.client;

import io.cartero.protocol.Frame;
import io.cartero.protocol.FrameCodec;
import io.javalin.Javalin;
import io.javalin.websocket.WsMessageContext;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * A node that only says welcome, for what a real node cannot be made to do on demand: close
 * the first connection with a chosen code right after its welcome, or fall silent.
 */
final class FakeNode implements AutoCloseable {
    private static final FrameCodec CODEC = new FrameCodec();

    /** What the fake does after the welcome of its first connection. */
    enum Then { CLOSE, FALL_SILENT }

    private final Javalin app;
    private final Then then;
    private final int closeCode;
    private final AtomicInteger hellos = new AtomicInteger();

    private FakeNode(Then then, int closeCode) {
        this.then = then;
        this.closeCode = closeCode;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.ws("/ws", ws -> ws.onMessage(this::answer));
        });
        app.start("127.0.0.1", 0);
    }

    /** A fake that closes its first connection with {@code code} after the welcome. */
    static FakeNode closingWith(int code) {
        return new FakeNode(Then.CLOSE, code);
    }

    /** A fake that never sends anything more on its first connection after the welcome. */
    static FakeNode fallingSilent() {
        return new FakeNode(Then.FALL_SILENT, 0);
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + app.port());
    }

    /** How many hellos came, one per connection. */
    int hellos() {
        return hellos.get();
    }

    private void answer(WsMessageContext ctx) {
        Frame frame = CODEC.decode(ctx.message());
        boolean first = hellos.get() <= 1;
        if (frame instanceof Frame.Hello hello) {
            int count = hellos.incrementAndGet();
            ctx.send(CODEC.encode(new Frame.Welcome(hello.id(), hello.name(), 1, "fake", null)));
            if (count == 1 && then == Then.CLOSE) {
                ctx.session.close(closeCode, "fake", Callback.NOOP);
            }
        } else if (frame instanceof Frame.Ping ping && !(first && then == Then.FALL_SILENT)) {
            ctx.send(CODEC.encode(new Frame.Pong(ping.id())));
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
