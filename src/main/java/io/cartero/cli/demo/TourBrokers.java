package io.cartero.cli.demo;

import io.cartero.broker.Broker;
import io.cartero.broker.NameRegistry;

/**
 * The brokers the tour's messages go through. The command line picks the implementation; the
 * tour only uses the ports. Every broker given out is closed by {@link #close()}.
 */
public interface TourBrokers extends AutoCloseable {

    /** The broker that the producers and consumers of the tour share. */
    Broker shared();

    /**
     * A broker for one more node on the same data as {@link #shared()}: the same in-process
     * broker, or a connection of its own to the same Redis, as a node on another computer
     * would have.
     */
    NodeEngine forNode();

    /** How many of its newest messages each room keeps: few, so that step 5 can outrun it. */
    int retention();

    /** Whether the broker lives in this process ({@code memory}) or elsewhere ({@code redis}). */
    Kind kind();

    /** Where the broker is, for people: a Redis URL without its password. */
    String describe();

    /**
     * What the tour's keys start with in a Redis, so that they touch nothing else there and are
     * deleted at the end; empty for a broker in this process.
     */
    String prefix();

    /** Closes every broker given out. */
    @Override
    void close();

    /** Where a tour's broker lives. */
    enum Kind {
        /** In this process, nothing on disk. */
        MEMORY,
        /** A Redis server. */
        REDIS
    }

    /**
     * What a node needs: a broker and the registry that keeps names unique.
     *
     * @param broker the broker
     * @param names the name registry
     */
    record NodeEngine(Broker broker, NameRegistry names) {
    }
}
