package io.cartero.cli;

import java.util.Comparator;

/**
 * A server found on the network by {@link MdnsBrowser}.
 *
 * @param node the node's id (such as {@code aula-3f9c}), from the announcement's {@code node}
 * @param url the address to give {@code --server}, such as {@code ws://192.168.1.20:8080}
 * @param broker the kind of broker the node uses ({@code embedded}, {@code memory},
 *     {@code redis}), or empty if it did not say
 * @param local whether it was found on this computer's loopback interface
 */
record FoundServer(String node, String url, String broker, boolean local) {
    /** Servers on this computer first, then by node id. */
    static final Comparator<FoundServer> ORDER = Comparator.comparing((FoundServer s) -> !s.local)
            .thenComparing(FoundServer::node).thenComparing(FoundServer::url);
}
