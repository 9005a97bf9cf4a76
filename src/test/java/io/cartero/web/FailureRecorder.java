package io.cartero.web;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When a browser test fails, keeps what each browser showed: a screenshot under
 * {@code target/browser-failures/} and the browser's console lines on standard output.
 */
final class FailureRecorder implements TestWatcher {
    private static final Path FOLDER = Path.of("target", "browser-failures");

    private final List<Supplier<Browser>> browsers = new ArrayList<>();

    /** Watches the browser that {@code browser} supplies when a test fails. */
    FailureRecorder watch(Supplier<Browser> browser) {
        browsers.add(browser);
        return this;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        String test = context.getRequiredTestClass().getSimpleName() + "."
                + context.getRequiredTestMethod().getName();
        for (int i = 0; i < browsers.size(); i++) {
            Browser browser = browsers.get(i).get();
            if (browser != null) {
                record(browser, FOLDER.resolve(test + "-" + i + ".png"));
            }
        }
    }

    private static void record(Browser browser, Path screenshot) {
        try {
            browser.screenshot(screenshot);
            System.out.println("browser screenshot: " + screenshot.toAbsolutePath());
            System.out.println("browser at " + browser.driver().getCurrentUrl()
                    + ", console: " + browser.consoleLines());
        } catch (RuntimeException e) {
            System.out.println("could not record the browser: " + e);
        }
    }
}
