package io.cartero.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the real command tree in-process, as {@code Main} would, with standard input given and
 * standard output and error captured. One run per instance.
 */
final class Cli {
    /** The zone in which tests read message times. */
    static final ZoneId ZONE = ZoneOffset.UTC;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Map<String, String> environment = new HashMap<>();
    private final StopSignal stop = new StopSignal();
    private InputStream in = new ByteArrayInputStream(new byte[0]);
    private Locale systemLocale = Locale.ENGLISH;
    private boolean interactive;

    Cli() {
        // Servers and clients of other tests stay off multicast DNS; discovery tests turn it on.
        environment.put(DiscoveryMode.VARIABLE, "off");
    }

    /** Standard input holds {@code text}, as from a pipe. */
    Cli input(String text) {
        return input(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Standard input is {@code stream}. */
    Cli input(InputStream stream) {
        this.in = stream;
        return this;
    }

    /** Standard input counts as a person at a terminal (JLine still sees a dumb one). */
    Cli interactive() {
        this.interactive = true;
        return this;
    }

    /** The environment variable {@code name} is {@code value}. */
    Cli env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** The system's locale is {@code locale}. */
    Cli locale(Locale locale) {
        this.systemLocale = locale;
        return this;
    }

    /** Runs {@code args} to the end; its exit code. */
    int run(String... args) {
        return Main.execute(context(args), args);
    }

    /** Runs {@code args} on another thread; completes with the exit code. */
    CompletableFuture<Integer> start(String... args) {
        CliContext context = context(args);
        CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                exitCode.complete(Main.execute(context, args));
            } catch (Throwable e) {
                exitCode.completeExceptionally(e);
            }
        }, "cli-" + String.join("-", args));
        thread.setDaemon(true);
        thread.start();
        return exitCode;
    }

    /** Asks a started command to stop, as Ctrl+C does. */
    void stop() {
        stop.stop();
    }

    /** Everything written to standard output so far. */
    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The bytes written to standard output so far, exactly. */
    byte[] outBytes() {
        return out.toByteArray();
    }

    /** Everything written to standard error so far. */
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private CliContext context(String... args) {
        return new CliContext(in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), StandardCharsets.UTF_8,
                environment, interactive, false,
                Texts.of(Language.choose(args, systemLocale)), ZONE, stop);
    }
}
