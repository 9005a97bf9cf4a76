package io.cartero.cli;

import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Addresses drawn as QR codes in a terminal, for phones to scan: ZXing makes the code, and
 * each line of characters draws two rows of modules with the half blocks {@code ▀ ▄ █}.
 *
 * <p>A scanner wants dark modules on a light ground. Where the terminal understands colours
 * ({@code TERM} is set and not {@code dumb}), the code is drawn in black on white whatever the
 * terminal's own colours. Elsewhere (the Windows console) no colour can be set, so the light
 * modules are the ones drawn: right on the usual dark background, and inverted on a light
 * one, which most phone cameras read all the same.
 */
final class QrCodes {
    /** The light margin around the code, in modules; scanners need a few. */
    static final int QUIET_ZONE = 2;
    /** Black characters on a bright white background. */
    static final String BLACK_ON_WHITE = "\u001b[30;107m";
    /** Back to the terminal's own colours. */
    static final String RESET = "\u001b[0m";

    /** How the modules are drawn. */
    enum Style {
        /** Dark modules in black on white, with colour escapes. */
        COLOUR,
        /** Light modules drawn, dark ones left to the terminal's background; no escapes. */
        PLAIN;

        /** {@link #COLOUR} when the terminal named in {@code environment} shows colours. */
        static Style forTerminal(Map<String, String> environment) {
            String term = environment.get("TERM");
            return term == null || term.isBlank() || "dumb".equals(term) ? PLAIN : COLOUR;
        }
    }

    private QrCodes() {
    }

    /**
     * {@code text} as a QR code (error correction level L: the smallest code, fine on a
     * screen), one string per terminal line, without line breaks.
     */
    static List<String> draw(String text, Style style) {
        ByteMatrix matrix = encode(text);
        int size = matrix.getWidth() + 2 * QUIET_ZONE;
        List<String> lines = new ArrayList<>();
        for (int y = 0; y < size; y += 2) {
            StringBuilder line = new StringBuilder(style == Style.COLOUR ? BLACK_ON_WHITE : "");
            for (int x = 0; x < size; x++) {
                boolean top = isDark(matrix, x, y);
                boolean bottom = y + 1 < size ? isDark(matrix, x, y + 1) : style == Style.PLAIN;
                line.append(style == Style.COLOUR ? block(top, bottom) : block(!top, !bottom));
            }
            lines.add(style == Style.COLOUR ? line.append(RESET).toString() : line.toString());
        }
        return lines;
    }

    /** The modules of {@code text}'s code, without the quiet zone. */
    static ByteMatrix encode(String text) {
        try {
            return Encoder.encode(text, ErrorCorrectionLevel.L).getMatrix();
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot draw a QR code of " + text, e);
        }
    }

    /** Whether the module at {@code x}, {@code y}, counted with the quiet zone, is dark. */
    private static boolean isDark(ByteMatrix matrix, int x, int y) {
        int mx = x - QUIET_ZONE;
        int my = y - QUIET_ZONE;
        boolean inside = mx >= 0 && my >= 0 && mx < matrix.getWidth() && my < matrix.getHeight();
        return inside && matrix.get(mx, my) == 1;
    }

    /** The character that fills the upper half, the lower half, both or neither. */
    private static char block(boolean upper, boolean lower) {
        if (upper && lower) {
            return '█';
        }
        if (upper) {
            return '▀';
        }
        return lower ? '▄' : ' ';
    }
}
