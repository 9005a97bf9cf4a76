package io.cartero.web;

import io.cartero.broker.disk.EmbeddedBroker;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.client.NodeClient;
import io.cartero.node.Guards;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A real node on 127.0.0.1 and a free port, serving the page and the protocol, for browser
 * tests. It can be stopped and started again on the same port and the same broker data, as
 * a person restarting {@code cartero server} would.
 */
final class WebNode implements AutoCloseable {
    private static final Duration CONNECT = Duration.ofSeconds(10);

    private final Supplier<MemoryBroker> brokers;
    private final Guards guards;
    private final List<NodeClient> clients = new ArrayList<>();
    private MemoryBroker broker;
    private Node node;
    private int port;

    private WebNode(Supplier<MemoryBroker> brokers, Guards guards) {
        this.brokers = brokers;
        this.guards = guards;
    }

    /** A node on a memory broker: nothing kept after it stops. */
    static WebNode inMemory() {
        return inMemory(Guards.defaults());
    }

    /**
     * A node on a memory broker with these guards: a password or token to ask for, other
     * limits.
     */
    static WebNode inMemory(Guards guards) {
        WebNode web = new WebNode(MemoryBroker::new, guards);
        web.start(broker -> { });
        return web;
    }

    /** A node on the embedded broker keeping its history in {@code dir}. */
    static WebNode onDisk(Path dir) {
        WebNode web = new WebNode(() -> EmbeddedBroker.open(dir), Guards.defaults());
        web.start(broker -> { });
        return web;
    }

    /** The page's address, such as {@code http://127.0.0.1:41234/}. */
    String page() {
        return "http://127.0.0.1:" + port + "/";
    }

    int port() {
        return port;
    }

    /** The token of the node's operator. */
    String operatorToken() {
        return node.operatorToken();
    }

    MemoryBroker broker() {
        return broker;
    }

    /** A terminal program's client, connected with {@code name}; closed with the node. */
    NodeClient client(String name) {
        NodeClient client = NodeClient.connect(URI.create("ws://127.0.0.1:" + port), name,
                CONNECT);
        clients.add(client);
        return client;
    }

    /** Closes the terminal programs' clients opened so far. */
    void closeClients() {
        clients.forEach(NodeClient::close);
        clients.clear();
    }

    /** Stops the node gracefully (connections close with 1012), then closes its broker. */
    void stop() {
        node.close();
        broker.close();
        node = null;
    }

    /**
     * Opens the broker again and serves on the same port; {@code beforeServing} runs on the
     * broker before the node accepts anyone.
     */
    void start(Consumer<MemoryBroker> beforeServing) {
        broker = brokers.get();
        beforeServing.accept(broker);
        NodeSettings settings = NodeSettings.defaults().withHost("127.0.0.1").withPort(port)
                .withGuards(guards);
        node = Node.start(broker, broker, settings);
        port = node.port();
    }

    @Override
    public void close() {
        closeClients();
        if (node != null) {
            stop();
        }
    }
}
