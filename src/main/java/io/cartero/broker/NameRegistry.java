package io.cartero.broker;

import java.util.concurrent.CompletableFuture;

/**
 * Reserves user names while they are in use, so that two people never share one. An optional
 * ability of a broker, used by nodes; brokers shared by several nodes make names unique
 * across all of them.
 */
public interface NameRegistry {

    /**
     * Reserves {@code name} for {@code holder}. Completes {@code true} if the name is now held
     * by {@code holder}: it was free, or {@code holder} held it already (a client that lost its
     * connection takes its name back); {@code false} if another holder has it.
     *
     * @param holder an opaque token naming the session that uses the name, 1-128 characters
     */
    CompletableFuture<Boolean> reserve(String name, String holder);

    /** Releases {@code name} if {@code holder} holds it; does nothing otherwise. */
    void release(String name, String holder);
}
