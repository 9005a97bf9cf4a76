package io.cartero.web;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a browser test class, with every test in it reported as skipped, when Chromium or its
 * driver is missing, and says on the console how to install them.
 */
final class NeedsChromium implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Browser.installed()) {
            return ConditionEvaluationResult.enabled("Chromium and chromedriver are installed");
        }
        if (context.getTestMethod().isEmpty()) {
            System.out.println(context.getDisplayName() + ": " + Browser.MISSING);
        }
        return ConditionEvaluationResult.disabled(Browser.MISSING);
    }
}
