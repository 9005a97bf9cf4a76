package io.cartero.cli.demo;

import io.cartero.message.VisibleText;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.util.Map;
import java.util.Objects;

/**
 * Tells the tour on a terminal (and the start menu): headings, prose wrapped to {@link #WIDTH}
 * columns, and one line per message as it moves. Lines come whole from any thread: consumers
 * print from the broker's delivery threads while the producer prints from the tour's. Where
 * the terminal's encoding lacks an arrow or a rule, an ASCII look-alike is printed instead.
 */
public final class Narrator {
    /** The widest line printed: a terminal of 80 columns shows each on one line. */
    public static final int WIDTH = 78;
    private static final String LIVE_INDENT = "  ";
    private static final String RULE = "─";
    private static final Map<Character, String> ASCII = Map.of(
            '→', "->", '←', "<-", '─', "-", '…', "...", '·', "-", '«', "\"", '»', "\"");

    private final PrintStream out;
    private final Phrasebook phrases;
    /** Guarded by {@code this}: encoders are not thread-safe. */
    private final CharsetEncoder encoder;

    /**
     * A narrator that prints to {@code out}, whose bytes are in {@code charset}.
     *
     * @param phrases the texts, in the person's language
     */
    public Narrator(PrintStream out, Charset charset, Phrasebook phrases) {
        this.out = Objects.requireNonNull(out, "out");
        this.encoder = Objects.requireNonNull(charset, "charset").newEncoder();
        this.phrases = Objects.requireNonNull(phrases, "phrases");
    }

    /** The text at {@code key} with {@code args}, not printed. */
    public String text(String key, Object... args) {
        return phrases.text(key, args);
    }

    /** A heading: a rule that carries {@code title}, across the width, then a blank line. */
    synchronized void heading(String title) {
        String start = RULE.repeat(3) + " " + title + " ";
        int rest = Math.max(3, WIDTH - TextWrap.columns(start));
        out.println();
        print(start + RULE.repeat(rest));
        out.println();
    }

    /** The text at {@code key}, wrapped, then a blank line. */
    public synchronized void paragraph(String key, Object... args) {
        say(key, args);
        out.println();
    }

    /** The text at {@code key}, wrapped. */
    public synchronized void say(String key, Object... args) {
        write(text(key, args));
    }

    /** {@code text}, already in the person's language, wrapped. */
    public synchronized void write(String text) {
        for (String line : TextWrap.wrap(text, WIDTH)) {
            print(line);
        }
    }

    /**
     * One event as it happens: the text at {@code key}, indented; the texts among {@code args}
     * came through the broker and are shown as {@link VisibleText#name} shows them.
     */
    synchronized void live(String key, Object... args) {
        Object[] shown = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            shown[i] = args[i] instanceof String text ? VisibleText.name(text) : args[i];
        }
        for (String line : TextWrap.wrap(LIVE_INDENT + text(key, shown), WIDTH)) {
            print(line);
        }
    }

    /** One line of a table, indented as events are, never wrapped. */
    synchronized void row(String text) {
        print(LIVE_INDENT + text);
    }

    /** An empty line. */
    public synchronized void blank() {
        out.println();
    }

    /** The text at {@code key}, with no line break after it: a question. */
    public synchronized void ask(String key, Object... args) {
        out.print(fitted(text(key, args)));
        out.flush();
    }

    private void print(String line) {
        out.println(fitted(line));
    }

    /** {@code line} with what the terminal cannot show replaced by ASCII. */
    private String fitted(String line) {
        if (encoder.canEncode(line)) {
            return line;
        }
        StringBuilder plain = new StringBuilder(line.length());
        for (char c : line.toCharArray()) {
            String replacement = ASCII.get(c);
            plain.append(replacement != null && !encoder.canEncode(c) ? replacement : c);
        }
        return plain.toString();
    }
}
