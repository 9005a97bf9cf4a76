package io.cartero.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the {@code redis-server} program: in the directories of {@code PATH} first, then in
 * the places package managers put it. Immutable.
 */
final class RedisServerBinary {
    /** Where Debian, Fedora, source builds and Homebrew (Apple silicon) install it. */
    static final List<Path> USUAL_PLACES = List.of(Path.of("/usr/bin/redis-server"),
            Path.of("/usr/local/bin/redis-server"), Path.of("/opt/homebrew/bin/redis-server"));

    private final String searchPath;
    private final List<Path> fallbacks;

    /**
     * @param searchPath the value of {@code PATH}, or {@code null}
     * @param fallbacks the files to try when no directory of {@code PATH} holds it
     */
    RedisServerBinary(String searchPath, List<Path> fallbacks) {
        this.searchPath = searchPath == null ? "" : searchPath;
        this.fallbacks = List.copyOf(fallbacks);
    }

    /** The first executable {@code redis-server} found, if any. */
    Optional<Path> find() {
        List<Path> candidates = new ArrayList<>();
        for (String directory : searchPath.split(File.pathSeparator)) {
            if (!directory.isBlank()) {
                candidates.add(inDirectory(directory));
            }
        }
        candidates.addAll(fallbacks);
        return candidates.stream()
                .filter(path -> path != null && Files.isRegularFile(path)
                        && Files.isExecutable(path))
                .findFirst();
    }

    private static Path inDirectory(String directory) {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
                .startsWith("windows");
        try {
            return Path.of(directory, windows ? "redis-server.exe" : "redis-server");
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
