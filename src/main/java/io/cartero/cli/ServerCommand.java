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
        try {
            printWhereToJoin(node.port(), engine);
            context.stop().awaitStop();
        } finally {
            node.shutdown(Node.DEFAULT_GRACE);
        }
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
    private void printWhereToJoin(int boundPort, BrokerUrls.NodeBroker engine) {
        PrintStream out = context.out();
        out.println(texts.get("server.running", String.valueOf(boundPort),
                texts.get("server.engine_" + engine.name(), engine.where())));

        WhereToJoin where = new WhereToJoin(texts, launcher(), boundPort);
        InetAddress bound = resolve(host);
        List<String> lines;
        if (bound != null && bound.isLoopbackAddress()) {
            lines = where.thisComputerOnly(bound.getHostAddress());
        } else if (bound != null && bound.isAnyLocalAddress()) {
            lines = where.everyAddress(LanAddresses.ipv4().stream()
                    .map(InetAddress::getHostAddress).toList());
        } else {
            lines = where.oneAddress(host);
        }
        lines.forEach(out::println);
        out.println(texts.get("server.stop_hint"));
    }

    /** How people start Cartero here: the POSIX launcher, or the Windows one. */
    private static String launcher() {
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
