package io.cartero.broker;

import java.util.concurrent.CompletableFuture;

/**
 * Reserves user names while they are in use, so that two people never share one. An optional
 * ability of a broker, used by nodes; brokers shared by several nodes make names unique
 * across all of them.
 */
public interface NameRegistry {

    /** Reserves {@code name}; completes {@code false} if it is already reserved. */
    CompletableFuture<Boolean> reserve(String name);

    /** Releases a name reserved with {@link #reserve}. */
    void release(String name);
}
