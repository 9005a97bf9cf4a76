package io.cartero.message;

import java.util.Locale;

/**
 * Text that came from other people, made safe to write to a terminal. A terminal obeys some
 * characters instead of showing them: escape sequences (CSI, OSC: clearing the screen, setting
 * the title or the clipboard, hidden links), C1 controls, the bell, carriage returns that
 * overwrite a line, and bidirectional overrides and isolates that reorder what follows. Each
 * such character is shown instead as six ASCII characters: a backslash, {@code u} and four
 * uppercase hex digits of its code (the escape character becomes backslash, {@code u001B}),
 * as JSON writes it, so the same form appears in lines for people and in {@code --json} output.
 */
public final class VisibleText {
    private static final String CONTINUATION = "\n    ";

    private VisibleText() {
    }

    /**
     * A name or other one-line value, with every character a terminal would obey escaped,
     * line breaks included.
     */
    public static String name(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> append(out, c, false));
        return out.toString();
    }

    /**
     * A message's text: like {@link #name}, except that a line break ({@code \n} or
     * {@code \r\n}) starts an indented line, so that no message can pass for another one, and
     * tabs stay.
     */
    public static String text(String value) {
        String lines = value.replace("\r\n", "\n");
        StringBuilder out = new StringBuilder(lines.length());
        lines.codePoints().forEach(c -> {
            if (c == '\n') {
                out.append(CONTINUATION);
            } else {
                append(out, c, c == '\t');
            }
        });
        return out.toString();
    }

    /**
     * JSON text with the characters a terminal would obey that JSON writers leave raw (DEL, C1
     * controls, bidirectional controls, line and paragraph separators) written as JSON
     * escapes. Those characters can only occur inside JSON strings, where the escape means the
     * same character, so the document's value is unchanged.
     */
    public static String json(String json) {
        StringBuilder out = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (isObeyed(c)) {
                if (out == null) {
                    out = new StringBuilder(json.length() + 16).append(json, 0, i);
                }
                out.append(escape(c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? json : out.toString();
    }

    /**
     * Whether a terminal may act on {@code c} instead of showing it: C0 and C1 controls, DEL,
     * bidirectional marks, embeddings, overrides and isolates, and the line and paragraph
     * separators.
     */
    public static boolean isObeyed(int c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F)
                || c == 0x061C || c == 0x200E || c == 0x200F
                || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x2028 || c == 0x2029;
    }

    private static void append(StringBuilder out, int c, boolean keep) {
        if (!keep && isObeyed(c)) {
            out.append(escape(c));
        } else {
            out.appendCodePoint(c);
        }
    }

    private static String escape(int c) {
        return String.format(Locale.ROOT, "\\u%04X", c);
    }
}
