package io.cartero.cli;

import ch.qos.logback.classic.Level;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much the libraries log to standard error. The terminal commands explain what matters
 * in the user's language, and log lines would break into the chat's prompt, so they log
 * errors only; the server logs its lifecycle. {@code CARTERO_LOG} ({@code debug}, {@code info},
 * {@code warn}, {@code error}) overrides both.
 */
final class LogLevels {
    /** The environment variable that sets the level. */
    static final String VARIABLE = "CARTERO_LOG";

    private LogLevels() {
    }

    /**
     * Sets the root level for the command named in {@code args}. Called again when the start
     * menu picks a command, so that a server chosen there logs its lifecycle.
     */
    static void apply(String[] args, Map<String, String> environment) {
        String wanted = environment.get(VARIABLE);
        Level fallback = "server".equals(commandName(args)) ? Level.INFO : Level.ERROR;
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(Level.toLevel(wanted, fallback));
        }
    }

    /** The first argument that is neither an option nor the value of {@code --lang}. */
    private static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if ("--lang".equals(args[i])) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return args[i];
            }
        }
        return null;
    }
}
