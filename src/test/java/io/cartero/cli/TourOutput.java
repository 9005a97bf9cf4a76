package io.cartero.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The printed text of a guided tour, read back: its steps by their headings, and in each step
 * the lines of messages sent ("X → place: m1") and received ("Y ← place: m1").
 */
final class TourOutput {
    private static final Pattern HEADING = Pattern.compile("^─── \\S+ (\\d) \\S+ 7: .*");
    private static final Pattern SENT = Pattern.compile("^  (.+?) → (\\S+): (m\\d+)$");
    private static final Pattern RECEIVED =
            Pattern.compile("^  (.+?) ← (\\S+): (m\\d+)(?:,.*| \\(#\\d+\\))?$");

    private final String text;
    private final Map<Integer, List<String>> steps = new LinkedHashMap<>();

    TourOutput(String text) {
        this.text = text;
        List<String> current = new ArrayList<>();
        for (String line : text.split("\\R")) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                current = new ArrayList<>();
                steps.put(Integer.parseInt(heading.group(1)), current);
            }
            current.add(line);
        }
    }

    /** Every line of the output. */
    List<String> lines() {
        return List.of(text.split("\\R"));
    }

    /** Whether step {@code number} has a heading. */
    boolean has(int number) {
        return steps.containsKey(number);
    }

    /** The lines of step {@code number}, from its heading to the next one. */
    List<String> step(int number) {
        List<String> lines = steps.get(number);
        if (lines == null) {
            throw new AssertionError("no step " + number + " in:\n" + text);
        }
        return lines;
    }

    /** The texts sent in step {@code number}, in order. */
    List<String> sent(int number) {
        List<String> sent = new ArrayList<>();
        for (String line : step(number)) {
            Matcher matcher = SENT.matcher(line);
            if (matcher.matches()) {
                sent.add(matcher.group(3));
            }
        }
        return sent;
    }

    /** The texts received in step {@code number}, by who received them, in order. */
    Map<String, List<String>> received(int number) {
        return receivedBetween(step(number));
    }

    /** The texts received in {@code lines}, by who received them, in order. */
    static Map<String, List<String>> receivedBetween(List<String> lines) {
        Map<String, List<String>> received = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher matcher = RECEIVED.matcher(line);
            if (matcher.matches()) {
                received.computeIfAbsent(matcher.group(1), who -> new ArrayList<>())
                        .add(matcher.group(3));
            }
        }
        return received;
    }

    /** The lines of step {@code number} after the first that contains {@code marker}. */
    List<String> after(int number, String marker) {
        List<String> lines = step(number);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return lines.subList(i + 1, lines.size());
            }
        }
        throw new AssertionError("no line with " + marker + " in step " + number);
    }

    /** The lines of step {@code number} from one containing {@code from} to {@code to}. */
    List<String> between(int number, String from, String to) {
        List<String> rest = after(number, from);
        for (int i = 0; i < rest.size(); i++) {
            if (rest.get(i).contains(to)) {
                return rest.subList(0, i);
            }
        }
        return rest;
    }
}
