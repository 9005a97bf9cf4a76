package io.cartero.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.utils.Signals;

/**
 * What one run of the command line works with: its streams, environment, language, clock zone
 * and stop signal. {@link Main} builds one from the process; tests build one from buffers.
 *
 * @param in standard input
 * @param out standard output
 * @param err standard error
 * @param charset the encoding of the three streams
 * @param environment the environment variables
 * @param interactive whether a person types on standard input (a terminal, not a pipe)
 * @param system whether the streams are the process's own: signals are trapped and JLine
 *     opens the system terminal; otherwise JLine reads and writes the streams as a dumb one
 * @param texts the user's language
 * @param zone the time zone in which message times are shown
 * @param stop asks long-running commands to stop
 */
record CliContext(
        InputStream in, PrintStream out, PrintStream err, Charset charset,
        Map<String, String> environment, boolean interactive, boolean system, Texts texts,
        ZoneId zone, StopSignal stop) {

    CliContext {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(charset, "charset");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(stop, "stop");
    }

    /** The context of this process, speaking {@code language}. */
    static CliContext ofProcess(Language language, StopSignal stop) {
        Charset charset = terminalCharset();
        return new CliContext(System.in,
                new PrintStream(new FileOutputStream(FileDescriptor.out), true, charset),
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, charset),
                charset, System.getenv(), stdinIsTerminal(), true, Texts.of(language),
                ZoneId.systemDefault(), stop);
    }

    /** Standard input, line by line. */
    BufferedReader lines() {
        return new BufferedReader(new InputStreamReader(in, charset));
    }

    /** A JLine terminal on this context's streams. */
    Terminal openTerminal() throws IOException {
        if (system) {
            return TerminalBuilder.builder().system(true).dumb(true).build();
        }
        return new DumbTerminal("cartero", Terminal.TYPE_DUMB, in, out, charset);
    }

    /** Traps Ctrl+C so that it stops the command instead of killing the process. */
    void trapInterrupt() {
        if (system) {
            Signals.register("INT", stop::stop);
        }
    }

    /**
     * The console's own encoding when it names one beyond ASCII (Windows code pages, a UTF-8
     * locale); UTF-8 otherwise, which is what pipes and most terminals expect.
     */
    private static Charset terminalCharset() {
        Console console = System.console();
        if (console == null || StandardCharsets.US_ASCII.equals(console.charset())) {
            return StandardCharsets.UTF_8;
        }
        return console.charset();
    }

    /**
     * Whether standard input and output are a terminal. Since Java 22 {@link System#console()}
     * returns a console even for pipes, and only {@code Console.isTerminal()} tells.
     */
    private static boolean stdinIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot ask the console whether it is a terminal", e);
        }
    }
}
