package io.cartero.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * One headless Debian Chromium driven through chromedriver, with a fresh profile of its own.
 * Both paths are given, so Selenium never looks for a browser or a driver on the internet.
 */
final class Browser implements AutoCloseable {
    static final Path BINARY = Path.of(System.getProperty("cartero.chromium",
            "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("cartero.chromedriver",
            "/usr/bin/chromedriver"));
    static final String MISSING = "Browser tests skipped: they need Chromium and its driver at "
            + BINARY + " and " + DRIVER + ". Install them with: "
            + "sudo apt-get install chromium chromium-driver (elsewhere, give their paths with"
            + " -Dcartero.chromium=... -Dcartero.chromedriver=...)";

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Whether both the browser and its driver are there. */
    static boolean installed() {
        return Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
    }

    /**
     * Starts a browser whose preferred language is {@code language} ({@code en}, {@code es}).
     * The page is laid out at {@code width} by {@code height} CSS pixels.
     */
    static Browser start(String language, int width, int height) {
        return start(language, width, height, List.of());
    }

    /** As {@link #start(String, int, int)}, with more command-line {@code flags}. */
    static Browser start(String language, int width, int height, List<String> flags) {
        Path profile = temporaryProfile();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--lang=" + language, "--user-data-dir=" + profile,
                "--window-size=" + width + "," + (height + 200));
        options.addArguments(flags);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        Browser browser = new Browser(new ChromeDriver(service, options), profile);
        browser.resize(width, height, false);
        return browser;
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Lays the page out at exactly this many CSS pixels, as a desktop or as a phone. */
    void resize(int width, int height, boolean phone) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", width, "height", height, "deviceScaleFactor", 1, "mobile", phone));
    }

    /** Saves what the page shows as a PNG. */
    void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a JavaScript alert, confirm or prompt is open. */
    boolean alertOpen() {
        try {
            driver.switchTo().alert();
            return true;
        } catch (NoAlertPresentException e) {
            return false;
        }
    }

    /** The console and network lines the browser logged since the last call. */
    List<String> consoleLines() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static Path temporaryProfile() {
        try {
            return Files.createTempDirectory("cartero-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.out.println("could not delete the browser profile " + dir + ": " + e);
        }
    }
}
