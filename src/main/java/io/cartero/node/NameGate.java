package io.cartero.node;

import io.cartero.broker.NameRegistry;
import java.util.concurrent.CompletableFuture;

/**
 * The node's name registry, which follows the broker when the operator restarts it: every
 * call goes to the registry of the broker running now. Thread-safe.
 */
final class NameGate implements NameRegistry {
    private volatile NameRegistry names;

    NameGate(NameRegistry names) {
        this.names = names;
    }

    /** From now on, names are reserved in {@code fresh}. */
    void swap(NameRegistry fresh) {
        names = fresh;
    }

    @Override
    public CompletableFuture<Boolean> reserve(String name, String holder) {
        return names.reserve(name, holder);
    }

    @Override
    public void release(String name, String holder) {
        names.release(name, holder);
    }
}
