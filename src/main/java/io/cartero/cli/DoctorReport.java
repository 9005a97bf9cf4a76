package io.cartero.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartero.cli.demo.Narrator;
import io.cartero.cli.demo.TextWrap;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code cartero doctor} found, step by step: printed as each step ends (✓ passed,
 * ✗ failed, · said for information), with the likely cause and the fix under each failure;
 * or, with {@code --json}, one JSON object at the end. Decides the exit code.
 */
final class DoctorReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INDENT = "    ";

    /** How a step ended. */
    enum Outcome { PASSED, NOTE, FAILED }

    /**
     * A problem found, explained by the bundle keys {@code doctor.ID.cause} and
     * {@code doctor.ID.fix}, filled with {@code args}.
     *
     * @param id the problem's stable name, such as {@code refused}
     * @param exitCode {@link ExitCodes#UNREACHABLE} when nothing could be reached,
     *     {@link ExitCodes#REFUSED} when something answered but not as it should
     */
    record Problem(String id, int exitCode, Object... args) {
    }

    /** One step, as {@code --json} shows it. */
    record Step(String check, Outcome outcome, String message, Double millis, String problem,
            String cause, String fix) {
    }

    private final CliContext context;
    private final Texts texts;
    private final boolean json;
    private final String passed;
    private final String failed;
    private final String note;
    private final List<Step> steps = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    private int exitCode = ExitCodes.OK;

    DoctorReport(CliContext context, boolean json) {
        this.context = context;
        this.texts = context.texts();
        this.json = json;
        boolean symbols = context.charset().newEncoder().canEncode("✓✗·");
        this.passed = symbols ? "✓" : "[ok]";
        this.failed = symbols ? "✗" : "[X]";
        this.note = symbols ? "·" : "-";
    }

    /** Prints {@code text} as it is, unless the report is JSON. */
    void say(String text) {
        if (!json) {
            context.out().println(text);
        }
    }

    /** This computer's network addresses. */
    void addresses(List<String> found) {
        addresses.addAll(found);
        String list = found.isEmpty() ? texts.get("doctor.addresses_none")
                : String.join(", ", found);
        record("addresses", Outcome.NOTE, texts.get("doctor.addresses", list), null, null);
    }

    /** A step that passed, in {@code took}, or null if it took no measurable time. */
    void passed(String check, String message, Duration took) {
        record(check, Outcome.PASSED, message, took, null);
    }

    /** Something worth knowing that is not a failure. */
    void note(String check, String message) {
        record(check, Outcome.NOTE, message, null, null);
    }

    /** A step that failed, with its likely cause and fix. */
    void failed(String check, String message, Problem problem) {
        record(check, Outcome.FAILED, message, null, problem);
        exitCode = Math.max(exitCode, problem.exitCode());
    }

    /** Whether any step failed so far. */
    boolean hasFailed() {
        return exitCode != ExitCodes.OK;
    }

    /** Prints the summary (or the JSON object) and returns the exit code. */
    int finish(String target) {
        long failures = steps.stream().filter(s -> s.outcome() == Outcome.FAILED).count();
        String summary = failures == 0 ? texts.get("doctor.all_good", target)
                : texts.get("doctor.problems", failures);
        if (json) {
            printJson(target, summary);
        } else {
            context.out().println(summary);
        }
        return exitCode;
    }

    private void record(String check, Outcome outcome, String message, Duration took,
            Problem problem) {
        Double millis = took == null ? null : took.toNanos() / 1_000_000.0;
        String cause = problem == null ? null : texts.get("doctor." + problem.id() + ".cause",
                problem.args());
        String fix = problem == null ? null : texts.get("doctor." + problem.id() + ".fix",
                problem.args());
        steps.add(new Step(check, outcome, message, millis,
                problem == null ? null : problem.id(), cause, fix));
        if (json) {
            return;
        }

        PrintStream out = context.out();
        String time = millis == null ? "" : " " + texts.get("doctor.took", millis);
        out.println(symbol(outcome) + " " + message + time);
        if (problem != null) {
            printIndented(out, texts.get("doctor.cause_label"), cause);
            printIndented(out, texts.get("doctor.fix_label"), fix);
        }
    }

    private String symbol(Outcome outcome) {
        return switch (outcome) {
            case PASSED -> passed;
            case FAILED -> failed;
            case NOTE -> note;
        };
    }

    /**
     * {@code label} and {@code text} under the step they explain, wrapped to the tour's width
     * so that a terminal of 80 columns breaks no word; the lines after the label's are
     * indented two more columns. A line of {@code text} that starts with a space is a command
     * to copy whole, so it is printed as it is, like an indented block in Markdown.
     */
    private static void printIndented(PrintStream out, String label, String text) {
        String hanging = INDENT + "  ";
        String[] paragraphs = text.split("\n");
        for (int i = 0; i < paragraphs.length; i++) {
            if (i > 0 && paragraphs[i].startsWith(" ")) {
                out.println(hanging + paragraphs[i]);
                continue;
            }
            String start = i == 0 ? label + " " : "";
            List<String> lines = TextWrap.wrap(hanging + start + paragraphs[i], Narrator.WIDTH);
            for (int j = 0; j < lines.size(); j++) {
                out.println(i == 0 && j == 0 ? INDENT + lines.get(j).substring(hanging.length())
                        : lines.get(j));
            }
        }
    }

    private void printJson(String target, String summary) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("target", target);
        document.put("ok", exitCode == ExitCodes.OK);
        document.put("exit_code", exitCode);
        document.put("addresses", addresses);
        document.put("steps", steps.stream().map(DoctorReport::toMap).toList());
        document.put("summary", summary);
        try {
            context.out().println(JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    private static Map<String, Object> toMap(Step step) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("check", step.check());
        map.put("outcome", step.outcome().name().toLowerCase(Locale.ROOT));
        map.put("message", step.message());
        map.put("ms", step.millis());
        map.put("problem", step.problem());
        map.put("cause", step.cause());
        map.put("fix", step.fix());
        return map;
    }
}
