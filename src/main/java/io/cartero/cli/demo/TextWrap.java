package io.cartero.cli.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * Breaks prose into lines no wider than a terminal's columns, at spaces. A line that starts
 * with spaces, or with spaces and "- ", keeps that indent on the lines it wraps into, so lists
 * read as lists. Widths count code points: the accented letters of Spanish take one column.
 */
public final class TextWrap {
    private TextWrap() {
    }

    /**
     * {@code text} as lines of at most {@code width} columns; each {@code \n} in it starts a
     * new line. A word wider than {@code width} gets a line of its own.
     */
    public static List<String> wrap(String text, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be at least 1: " + width);
        }
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            wrapLine(line.stripTrailing(), width, lines);
        }
        return lines;
    }

    /** How many columns {@code text} takes. */
    public static int columns(String text) {
        return text.codePointCount(0, text.length());
    }

    private static void wrapLine(String line, int width, List<String> lines) {
        String hanging = " ".repeat(indentOf(line));
        String[] words = line.strip().split(" +");
        StringBuilder current = new StringBuilder(line.substring(0, leadingSpaces(line)));
        int start = current.length();
        for (String word : words) {
            boolean first = current.length() == start;
            if (!first && columns(current.toString()) + 1 + columns(word) > width) {
                lines.add(current.toString());
                current = new StringBuilder(hanging);
                start = current.length();
                first = true;
            }
            current.append(first ? "" : " ").append(word);
        }
        lines.add(current.toString());
    }

    /** The indent of the lines that {@code line} wraps into: its own, plus "- " if a bullet. */
    private static int indentOf(String line) {
        int spaces = leadingSpaces(line);
        return line.startsWith("- ", spaces) ? spaces + 2 : spaces;
    }

    private static int leadingSpaces(String line) {
        int spaces = 0;
        while (spaces < line.length() && line.charAt(spaces) == ' ') {
            spaces++;
        }
        return spaces;
    }
}
