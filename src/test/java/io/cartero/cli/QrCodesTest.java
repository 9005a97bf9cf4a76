package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What {@link QrCodes} prints is read back into modules and decoded by ZXing's reader. */
class QrCodesTest {
    private static final String ADDRESS = "http://192.168.100.200:8080/";
    /** Pixels per module in the picture given to the reader. */
    private static final int SCALE = 4;

    @ParameterizedTest
    @EnumSource(QrCodes.Style.class)
    void printsTheModulesOfTheCodeWithAQuietZone(QrCodes.Style style) {
        boolean[][] dark = readBack(QrCodes.draw(ADDRESS, style), style);
        ByteMatrix expected = QrCodes.encode(ADDRESS);
        int quiet = QrCodes.QUIET_ZONE;

        assertThat(dark).hasNumberOfRows(expected.getHeight() + 2 * quiet);
        for (int y = 0; y < dark.length; y++) {
            for (int x = 0; x < dark.length; x++) {
                int mx = x - quiet;
                int my = y - quiet;
                boolean inside = mx >= 0 && my >= 0 && mx < expected.getWidth()
                        && my < expected.getHeight();
                assertThat(dark[y][x]).as("module %d,%d", x, y)
                        .isEqualTo(inside && expected.get(mx, my) == 1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(QrCodes.Style.class)
    void aReaderDecodesTheAddressFromThePrintedCharacters(QrCodes.Style style)
            throws Exception {
        boolean[][] dark = readBack(QrCodes.draw(ADDRESS, style), style);

        assertThat(decode(dark)).isEqualTo(ADDRESS);
    }

    @ParameterizedTest
    @EnumSource(QrCodes.Style.class)
    void fitsAnEightyColumnTerminal(QrCodes.Style style) {
        List<String> lines = QrCodes.draw(ADDRESS, style);

        assertThat(lines).allSatisfy(line -> assertThat(withoutEscapes(line).length())
                .isLessThanOrEqualTo(80));
        assertThat(lines.size()).isLessThanOrEqualTo(20);
    }

    @Test
    void choosesColoursOnlyWhereTheTerminalShowsThem() {
        assertThat(QrCodes.Style.forTerminal(Map.of("TERM", "xterm-256color")))
                .isEqualTo(QrCodes.Style.COLOUR);
        assertThat(QrCodes.Style.forTerminal(Map.of("TERM", "dumb")))
                .isEqualTo(QrCodes.Style.PLAIN);
        assertThat(QrCodes.Style.forTerminal(Map.of())).isEqualTo(QrCodes.Style.PLAIN);
        assertThat(QrCodes.draw(ADDRESS, QrCodes.Style.PLAIN))
                .noneMatch(line -> line.contains("\u001b"));
    }

    @Test
    void theServerPrintsItsBrowserAddressAsACodeWhenAskedAndOnlyThen() throws Exception {
        List<InetAddress> lan = LanAddresses.ipv4();
        assumeThat(lan).as("this computer has a network address").isNotEmpty();
        String address = lan.get(0).getHostAddress();
        Cli asked = new Cli();
        Cli notATerminal = new Cli();

        String out = runServer(asked, address, "--qr");
        String plain = runServer(notATerminal, address);

        Matcher port = Pattern.compile("running on port (\\d+)").matcher(out);
        assertThat(port.find()).isTrue();
        String url = "http://" + address + ":" + port.group(1) + "/";
        assertThat(out).contains("On a phone, scan this code or open " + url);
        List<String> code = out.lines().dropWhile(line -> !line.contains(url)).skip(1)
                .takeWhile(line -> !line.isEmpty() && line.chars().allMatch(
                        c -> "█▀▄ ".indexOf(c) >= 0)).toList();
        assertThat(decode(readBack(code, QrCodes.Style.PLAIN))).isEqualTo(url);
        assertThat(plain).doesNotContain("scan this code").doesNotContain("█");
    }

    private static String runServer(Cli cli, String address, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("server", "--host", address, "--port", "0",
                "--broker", "memory"));
        args.addAll(List.of(more));
        CompletableFuture<Integer> exit = cli.start(args.toArray(String[]::new));
        await().atMost(Duration.ofSeconds(10)).until(() -> cli.out().contains("Ctrl+C"));
        cli.stop();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        return cli.out();
    }

    /** The dark modules, rebuilt from the characters: each line holds two rows. */
    private static boolean[][] readBack(List<String> lines, QrCodes.Style style) {
        int width = withoutEscapes(lines.get(0)).length();
        boolean[][] dark = new boolean[width][width];
        for (int row = 0; row < lines.size(); row++) {
            String line = withoutEscapes(lines.get(row));
            assertThat(line).hasSize(width);
            for (int x = 0; x < width; x++) {
                char c = line.charAt(x);
                boolean upperInk = c == '█' || c == '▀';
                boolean lowerInk = c == '█' || c == '▄';
                assertThat("█▀▄ ").contains(String.valueOf(c));
                boolean inkIsDark = style == QrCodes.Style.COLOUR;
                dark[2 * row][x] = upperInk == inkIsDark;
                if (2 * row + 1 < width) {
                    dark[2 * row + 1][x] = lowerInk == inkIsDark;
                }
            }
        }
        return dark;
    }

    private static String decode(boolean[][] dark) throws Exception {
        int size = dark.length * SCALE;
        int[] pixels = new int[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                pixels[y * size + x] = dark[y / SCALE][x / SCALE] ? 0xFF000000 : 0xFFFFFFFF;
            }
        }
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(size, size, pixels)));
        return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, true))
                .getText();
    }

    private static String withoutEscapes(String line) {
        return line.replace(QrCodes.BLACK_ON_WHITE, "").replace(QrCodes.RESET, "");
    }
}
