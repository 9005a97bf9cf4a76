package io.cartero.cli.demo;

/** What happens between two steps of the tour. */
@FunctionalInterface
public interface Pause {
    /** No pause: the tour runs straight through. */
    Pause NONE = next -> true;

    /**
     * Waits until the person is ready for step {@code next}.
     *
     * @return {@code false} if the person wants to leave the tour instead
     */
    boolean before(int next) throws InterruptedException;
}
