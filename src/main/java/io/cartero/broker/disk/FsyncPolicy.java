package io.cartero.broker.disk;

import java.util.Locale;

/**
 * When the embedded broker asks the operating system to put its files on the device. Either
 * way a publish is answered only after its record was written to the file, so it survives
 * the death of the process ({@code kill -9}); the policies differ on a power loss or a crash
 * of the operating system.
 */
public enum FsyncPolicy {
    /**
     * Flush before answering: nothing answered is lost even on a power loss. Concurrent
     * publishes to a room share one flush (group commit).
     */
    ALWAYS,
    /**
     * Flush every second in the background: a power loss may lose what was answered in the
     * last second or so. The default.
     */
    INTERVAL;

    /** The policy named {@code name}: {@code always} or {@code interval}, in any case. */
    public static FsyncPolicy parse(String name) {
        String key = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
        for (FsyncPolicy policy : values()) {
            if (policy.name().equals(key)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown fsync policy: " + name
                + " (use always or interval)");
    }

    /** The policy's name as people type it. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
