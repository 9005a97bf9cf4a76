package io.cartero.cli;

import io.cartero.broker.disk.EmbeddedBroker;
import io.cartero.broker.disk.FsyncPolicy;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import io.cartero.node.PortInUseException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cartero server}: runs a node until Ctrl+C or SIGTERM, and tells people how other
 * computers join it. Its broker is the embedded one by default, kept in {@code --data}.
 */
@Command(name = "server", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false)
final class ServerCommand implements Callable<Integer> {
    private static final int MAX_PORT = 65_535;

    private final CliContext context;
    private final Texts texts;

    @Option(names = {"-p", "--port"}, paramLabel = "${bundle:label.port:-PORT}",
            defaultValue = "" + NodeSettings.DEFAULT_PORT, descriptionKey = "port")
    private int port;

    @Option(names = "--host", paramLabel = "${bundle:label.host:-HOST}",
            defaultValue = "0.0.0.0", descriptionKey = "host")
    private String host;

    @Option(names = "--broker", paramLabel = "${bundle:label.broker:-BROKER}",
            defaultValue = BrokerUrls.EMBEDDED, descriptionKey = "broker")
    private String broker;

    @Option(names = "--data", paramLabel = "${bundle:label.data:-DIR}",
            defaultValue = EmbeddedBroker.DEFAULT_DIRECTORY, descriptionKey = "data")
    private Path data;

    @Option(names = "--fsync", paramLabel = "${bundle:label.fsync:-POLICY}",
            defaultValue = "interval", descriptionKey = "fsync")
    private String fsync;

    @Option(names = "--no-announce", descriptionKey = "no_announce")
    private boolean noAnnounce;

    /** Null when not given: QR codes only when standard output is a terminal. */
    @Option(names = "--qr", negatable = true, descriptionKey = "qr")
    private Boolean qr;

    ServerCommand(CliContext context) {
        this.context = context;
        this.texts = context.texts();
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > MAX_PORT) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.port", String.valueOf(port));
        }
        requireLocalAddress(host);
        FsyncPolicy policy = fsyncPolicy(fsync);
        context.trapInterrupt();
        if (context.system()) {
            context.stop().trapTerminate();
        }
        BrokerUrls.NodeBroker engine = BrokerUrls.engine(broker, data, policy);
        try {
            serve(engine);
        } finally {
            engine.broker().close();
        }
        context.out().println(texts.get("server.stopped"));
        return ExitCodes.OK;
    }

    private void serve(BrokerUrls.NodeBroker engine) throws InterruptedException {
        Node node = start(engine);
        MdnsAnnouncement announcement = null;
        try {
            announcement = announce(node, engine);
            printWhereToJoin(node.port(), engine, announcement.addresses());
            context.stop().awaitStop();
        } finally {
            if (announcement != null) {
                announcement.close();
            }
            node.shutdown(Node.DEFAULT_GRACE);
        }
    }

    /**
     * Announces the node on the interfaces it listens on, as far as {@code --no-announce} and
     * {@code CARTERO_DISCOVERY} allow: on loopback for a node bound to it, on every network
     * for one bound to all addresses, on its own address for one bound to a single address.
     */
    private MdnsAnnouncement announce(Node node, BrokerUrls.NodeBroker engine) {
        DiscoveryMode mode = noAnnounce ? DiscoveryMode.OFF
                : DiscoveryMode.from(context.environment());
        InetAddress bound = resolve(host);
        List<InetAddress> addresses;
        if (bound == null || mode == DiscoveryMode.OFF) {
            addresses = List.of();
        } else if (bound.isAnyLocalAddress()) {
            addresses = mode.addresses();
        } else if (bound.isLoopbackAddress() || mode == DiscoveryMode.ON) {
            addresses = List.of(bound);
        } else {
            addresses = List.of();
        }
        return MdnsAnnouncement.start(addresses, node.id(), node.port(), Map.of(
                "node", node.id(),
                "version", String.valueOf(Node.PROTOCOL_VERSION),
                "path", "/ws",
                "broker", engine.name()));
    }

    private Node start(BrokerUrls.NodeBroker engine) {
        NodeSettings settings = NodeSettings.defaults().withHost(host).withPort(port);
        try {
            return Node.start(engine.broker(), engine.names(), settings);
        } catch (PortInUseException e) {
            int other = port < MAX_PORT ? port + 1 : NodeSettings.DEFAULT_PORT;
            throw new CommandException(ExitCodes.UNREACHABLE, e, "error.port_in_use",
                    String.valueOf(port), String.valueOf(other));
        }
    }

    /** For each address others may use, the browser address and the command that join. */
    private void printWhereToJoin(int boundPort, BrokerUrls.NodeBroker engine,
            List<InetAddress> announced) {
        PrintStream out = context.out();
        out.println(texts.get("server.running", String.valueOf(boundPort),
                texts.get("server.engine_" + engine.name(), engine.where())));

        WhereToJoin where = new WhereToJoin(texts, launcher(), boundPort);
        InetAddress bound = resolve(host);
        List<String> others;
        if (bound != null && bound.isLoopbackAddress()) {
            others = List.of();
            where.thisComputerOnly(bound.getHostAddress()).forEach(out::println);
        } else if (bound != null && bound.isAnyLocalAddress()) {
            others = LanAddresses.ipv4().stream().map(InetAddress::getHostAddress).toList();
            where.everyAddress(others).forEach(out::println);
        } else {
            others = List.of(host);
            where.oneAddress(host).forEach(out::println);
        }
        others.forEach(address -> printQrCode(address, boundPort));
        if (announced.stream().anyMatch(address -> !address.isLoopbackAddress())) {
            out.println(texts.get("server.announced_lan", launcher()));
        } else if (!announced.isEmpty()) {
            out.println(texts.get("server.announced_local", launcher()));
        }
        out.println(texts.get("server.stop_hint"));
    }

    /**
     * The browser address at {@code address} as a QR code, for phones: when {@code --qr} says
     * so, or standard output is a terminal and {@code --no-qr} does not forbid it.
     */
    private void printQrCode(String address, int boundPort) {
        boolean wanted = qr != null ? qr : context.interactive();
        if (!wanted) {
            return;
        }
        String uriHost = address.contains(":") ? "[" + address + "]" : address;
        String url = "http://" + uriHost + ":" + boundPort + "/";
        context.out().println(texts.get("server.qr", url));
        QrCodes.draw(url, QrCodes.Style.forTerminal(context.environment()))
                .forEach(context.out()::println);
    }

    /** How people start Cartero here: the POSIX launcher, or the Windows one. */
    static String launcher() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.startsWith("windows") ? "cartero" : "./cartero";
    }

    private static FsyncPolicy fsyncPolicy(String name) {
        try {
            return FsyncPolicy.parse(name);
        } catch (IllegalArgumentException e) {
            throw new CommandException(ExitCodes.USAGE, e, "error.usage.fsync", name);
        }
    }

    /** Refuses, before starting anything, a host that is not an address of this computer. */
    private static void requireLocalAddress(String name) {
        InetAddress address = resolve(name);
        boolean local;
        try {
            local = address != null && (address.isAnyLocalAddress()
                    || address.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address) != null);
        } catch (SocketException e) {
            local = true;
        }
        if (!local) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.host", name);
        }
    }

    private static InetAddress resolve(String name) {
        try {
            return InetAddress.getByName(name);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
