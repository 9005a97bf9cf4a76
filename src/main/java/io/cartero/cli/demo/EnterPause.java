package io.cartero.cli.demo;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Waits for Enter between steps. Typing q (or quit, salir, exit), ending the input or being
 * stopped (Ctrl+C) leaves the tour.
 */
public final class EnterPause implements Pause {
    private static final Set<String> LEAVE = Set.of("q", "quit", "exit", "salir");

    private final Keyboard keyboard;
    private final Narrator narrator;
    private final CompletableFuture<Void> stop;

    /**
     * A pause that reads {@code keyboard} and asks through {@code narrator}.
     *
     * @param stop completes when the person asks the program to stop
     */
    public EnterPause(Keyboard keyboard, Narrator narrator, CompletableFuture<Void> stop) {
        this.keyboard = Objects.requireNonNull(keyboard, "keyboard");
        this.narrator = Objects.requireNonNull(narrator, "narrator");
        this.stop = Objects.requireNonNull(stop, "stop");
    }

    @Override
    public boolean before(int next) throws InterruptedException {
        narrator.ask("demo.pause", next);
        CompletableFuture<String> line = keyboard.nextLine();
        try {
            CompletableFuture.anyOf(line, stop).get();
        } catch (ExecutionException e) {
            narrator.blank();
            return false;
        }
        String typed = stop.isDone() ? null : line.join();
        if (typed == null || LEAVE.contains(typed.strip().toLowerCase(Locale.ROOT))) {
            narrator.blank();
            return false;
        }
        return true;
    }
}
