package io.cartero.cli;

import java.util.regex.Pattern;

/** The bundle keys that picocli formats with String.format; every other key is a MessageFormat. */
public final class PicocliKeys {
    private static final Pattern KEY = Pattern.compile(
            "usage\\..*|cartero\\..*|mixinStandardHelpOptions\\..*|label\\..*"
                    + "|lang|server|name|room|queue|message|history|json|first_room|port|host"
                    + "|broker|data|fsync|ack|direct_broker|no_discovery|no_announce|qr"
                    + "|doctor_timeout|doctor_json|demo_broker|demo_auto"
                    + "|admin_token|admin_action|admin_name|admin_room|admin_queue|admin_rate"
                    + "|admin_count");

    private PicocliKeys() {
    }

    /** Whether picocli, not MessageFormat, formats the text at {@code key}. */
    public static boolean matches(String key) {
        return KEY.matcher(key).matches();
    }
}
