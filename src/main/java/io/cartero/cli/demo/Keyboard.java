package io.cartero.cli.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Lines typed on standard input, read one byte at a time so that nothing past the line is
 * taken from the stream: whatever runs next (a command, a line editor) finds the rest there.
 */
public final class Keyboard {
    private final InputStream in;
    private final Charset charset;

    /** A keyboard reading {@code in}, whose bytes are in {@code charset}. */
    public Keyboard(InputStream in, Charset charset) {
        this.in = Objects.requireNonNull(in, "in");
        this.charset = Objects.requireNonNull(charset, "charset");
    }

    /**
     * The next line, without its line break; {@code null} at the end of the input
     * (Ctrl+D, or the pipe ended) when nothing was typed before it.
     */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b = in.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n') {
            line.write(b);
            b = in.read();
        }
        String text = line.toString(charset);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * The next line, read on a thread of its own, so that the wait can be given up (Ctrl+C);
     * completes with {@code null} at the end of the input.
     */
    CompletableFuture<String> nextLine() {
        CompletableFuture<String> line = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                line.complete(readLine());
            } catch (IOException e) {
                line.completeExceptionally(new UncheckedIOException(e));
            }
        }, "cartero-keyboard");
        reader.setDaemon(true);
        reader.start();
        return line;
    }
}
