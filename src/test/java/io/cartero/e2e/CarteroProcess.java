package io.cartero.e2e;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The real jar run as a separate process, with its output collected line by line. */
final class CarteroProcess implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private final Process process;
    private final Writer stdin;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();

    private CarteroProcess(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        collect(process.getInputStream(), out, "out");
        collect(process.getErrorStream(), err, "err");
    }

    /** Starts {@code java -jar cartero.jar ARGS} in English. */
    static CarteroProcess start(String... args) {
        return startIn("en", args);
    }

    /** Starts {@code java -jar cartero.jar ARGS} with the system language {@code lang}. */
    static CarteroProcess startIn(String lang, String... args) {
        return startWith(lang, Map.of(), args);
    }

    /**
     * Starts {@code java -jar cartero.jar ARGS} with the system language {@code lang} and the
     * environment variables {@code environment} added. Multicast DNS is off unless they set
     * {@code CARTERO_DISCOVERY}.
     */
    static CarteroProcess startWith(String lang, Map<String, String> environment,
            String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-Duser.language=" + lang,
                "-Duser.country=" + ("es".equals(lang) ? "ES" : "US"), "-jar", jar()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CARTERO_DISCOVERY", "off");
        builder.environment().putAll(environment);
        try {
            return new CarteroProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Runs a command to its end, with {@code input} as its standard input. */
    static CarteroProcess run(String input, String... args) {
        CarteroProcess p = start(args);
        p.write(input);
        p.closeInput();
        p.awaitExit();
        return p;
    }

    void writeLine(String line) {
        write(line + "\n");
    }

    void write(String text) {
        try {
            stdin.write(text);
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the process", e);
        }
    }

    void closeInput() {
        try {
            stdin.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the process's input", e);
        }
    }

    /** Waits until a line of standard output matches {@code regex}, and returns it. */
    String awaitOut(String regex) {
        Pattern pattern = Pattern.compile(regex);
        await("a line matching " + regex + " in " + out).atMost(PATIENCE)
                .until(() -> out.stream().anyMatch(l -> pattern.matcher(l).find()));
        return out.stream().filter(l -> pattern.matcher(l).find()).findFirst().orElseThrow();
    }

    /** Waits until a line of either output matches {@code regex}, and returns it. */
    String awaitAny(String regex) {
        Pattern pattern = Pattern.compile(regex);
        await("a line matching " + regex + " in " + out + err).atMost(PATIENCE)
                .until(() -> anyMatch(out, pattern) || anyMatch(err, pattern));
        return anyMatch(out, pattern) ? awaitOut(regex)
                : err.stream().filter(l -> pattern.matcher(l).find()).findFirst().orElseThrow();
    }

    private static boolean anyMatch(List<String> lines, Pattern pattern) {
        return lines.stream().anyMatch(l -> pattern.matcher(l).find());
    }

    /** Waits until standard output has at least {@code count} lines matching {@code regex}. */
    List<String> awaitOutCount(String regex, int count) {
        Pattern pattern = Pattern.compile(regex);
        await(count + " lines matching " + regex).atMost(PATIENCE)
                .until(() -> matching(pattern).size() >= count);
        return matching(pattern);
    }

    private List<String> matching(Pattern pattern) {
        return out.stream().filter(l -> pattern.matcher(l).find()).toList();
    }

    int awaitExit() {
        try {
            if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the process did not end; output " + out + " " + err);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends SIGTERM (what Ctrl+C's shutdown hooks also run on) and waits for the end. */
    int terminate() {
        process.destroy();
        return awaitExit();
    }

    /** Kills the process at once, as {@code kill -9} does: no shutdown hook runs. */
    void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    List<String> out() {
        return List.copyOf(out);
    }

    String outText() {
        return String.join("\n", out);
    }

    String errText() {
        return String.join("\n", err);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static void collect(InputStream stream, List<String> lines, String name) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("<" + name + " closed: " + e.getMessage() + ">");
            }
        }, "e2e-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String jar() {
        String jar = System.getProperty("cartero.jar", "target/cartero.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no jar at " + jar + "; run ./mvnw verify");
        }
        return jar;
    }
}
