package io.cartero.node;

/**
 * A value from a client made safe for one log line: control characters shown as {@code \\uXXXX}
 * (so that nobody can forge a line) and at most 200 characters kept.
 */
final class VisibleLog {
    private static final int MAX = 200;

    private VisibleLog() {
    }

    static String of(String value) {
        if (value == null) {
            return null;
        }
        String shown = io.cartero.message.VisibleText.name(value);
        return shown.length() > MAX ? shown.substring(0, MAX) + "..." : shown;
    }
}
