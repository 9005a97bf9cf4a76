package io.cartero.cli.demo;

import java.util.ArrayList;
import java.util.List;

/** Step 7: the concepts, with the statistics of the run, counted from what really arrived. */
final class Summary {
    static final String KEY = "demo.summary";
    private static final String GAP = "  ";

    private Summary() {
    }

    /** Tells the summary of {@code record}. */
    static void tell(Narrator narrator, TourRecord record) {
        narrator.paragraph(KEY + ".intro");
        table(narrator, record);
        narrator.blank();
        narrator.paragraph(KEY + ".concepts");
        narrator.paragraph(KEY + ".next");
    }

    private static void table(Narrator narrator, TourRecord record) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {narrator.text("demo.table.step"), narrator.text("demo.table.sent"),
            narrator.text("demo.table.received"), narrator.text("demo.table.waited"),
            narrator.text("demo.table.lost")});
        int number = 1;
        for (StepRecord step : record.steps()) {
            rows.add(row(number++ + " " + narrator.text(step.key() + ".short"),
                    step.sent().size(), step.receivedCount(), step.waited(), step.lost()));
        }
        rows.add(row(narrator.text("demo.table.total"), record.sent(), record.received(),
                record.waited(), record.lost()));

        int[] widths = widths(rows);
        for (String[] row : rows) {
            narrator.row(line(row, widths));
        }
    }

    private static String[] row(String name, int sent, int received, int waited, int lost) {
        return new String[] {name, String.valueOf(sent), String.valueOf(received),
            String.valueOf(waited), String.valueOf(lost)};
    }

    private static int[] widths(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], TextWrap.columns(row[i]));
            }
        }
        return widths;
    }

    /** The first column to the left, the numbers to the right. */
    private static String line(String[] row, int[] widths) {
        StringBuilder line = new StringBuilder(pad(row[0], widths[0], false));
        for (int i = 1; i < row.length; i++) {
            line.append(GAP).append(pad(row[i], widths[i], true));
        }
        return line.toString().stripTrailing();
    }

    private static String pad(String text, int width, boolean right) {
        String padding = " ".repeat(width - TextWrap.columns(text));
        return right ? padding + text : text + padding;
    }
}
