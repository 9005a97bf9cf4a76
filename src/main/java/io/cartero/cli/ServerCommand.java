package io.cartero.cli;

import io.cartero.broker.Broker;
import io.cartero.broker.disk.EmbeddedBroker;
import io.cartero.broker.disk.FsyncPolicy;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.node.BrokerRestart;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import io.cartero.node.Operator;
import io.cartero.node.PortInUseException;
import io.cartero.node.Guards;
import io.cartero.node.TlsIdentity;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
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
    /** The environment variable that fixes the operator token. */
    static final String OPERATOR_TOKEN = "CARTERO_OPERATOR_TOKEN";

    private final CliContext context;
    private final Texts texts;
    /** The broker the node runs on now; replaced when the operator restarts it. */
    private final AtomicReference<Broker> running = new AtomicReference<>();

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

    @Option(names = "--password", paramLabel = "${bundle:label.password:-PASSWORD}",
            descriptionKey = "cartero.option.server_password")
    private String password;

    /** Empty when given without a value: the server makes one up. */
    @Option(names = "--token", paramLabel = "TOKEN", arity = "0..1", fallbackValue = "",
            descriptionKey = "cartero.option.server_token")
    private String token;

    @Option(names = "--allow-origin", paramLabel = "ORIGIN",
            descriptionKey = "cartero.option.allow_origin")
    private List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--max-frame-bytes", paramLabel = "BYTES", defaultValue = "65536",
            descriptionKey = "cartero.option.max_frame_bytes")
    private int maxFrameBytes;

    @Option(names = "--max-text", paramLabel = "N", defaultValue = "4000",
            descriptionKey = "cartero.option.max_text")
    private int maxText;

    @Option(names = "--max-rooms", paramLabel = "N", defaultValue = "100",
            descriptionKey = "cartero.option.max_rooms")
    private int maxRooms;

    @Option(names = "--max-connections-per-address", paramLabel = "N", defaultValue = "100",
            descriptionKey = "cartero.option.max_connections")
    private int maxConnections;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "500",
            descriptionKey = "cartero.option.rate")
    private int rate;

    @Option(names = "--burst", paramLabel = "N", defaultValue = "1000",
            descriptionKey = "cartero.option.burst")
    private int burst;

    @Option(names = "--tls-cert", paramLabel = "${bundle:label.file:-FILE}",
            descriptionKey = "cartero.option.tls_cert")
    private Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "${bundle:label.file:-FILE}",
            descriptionKey = "cartero.option.tls_key")
    private Path tlsKey;

    /** The certificate and key read at start; null when the node serves plain http. */
    private TlsIdentity tls;

    /** The secret clients must present, chosen once at start; null when none is asked. */
    private String secret;

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
        tls = tlsIdentity();
        Guards guards = guards();
        FsyncPolicy policy = fsyncPolicy(fsync);
        context.trapInterrupt();
        if (context.system()) {
            context.stop().trapTerminate();
        }
        RedisEnvironment redisEnv = RedisEnvironment.of(context.environment());
        BrokerUrls.NodeBroker engine = BrokerUrls.engine(broker, data, policy, redisEnv);
        running.set(engine.broker());
        if (BrokerUrls.isRedis(broker)) {
            RedisExposure.standard().warnIfOpen(broker, redisEnv, context);
        }
        try {
            serve(engine, guards, policy);
        } finally {
            running.get().close();
        }
        context.out().println(texts.get("server.stopped"));
        return ExitCodes.OK;
    }

    private void serve(BrokerUrls.NodeBroker engine, Guards guards, FsyncPolicy policy)
            throws InterruptedException {
        Node node = start(engine, guards, policy);
        MdnsAnnouncement announcement = null;
        try {
            announcement = announce(node, engine);
            printWhereToJoin(node.port(), engine, announcement.addresses(),
                    node.operatorToken());
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
                "scheme", tls != null ? "wss" : "ws",
                "broker", engine.name()));
    }

    /** The guards the options ask for; the secret made up here when {@code --token} says so. */
    private Guards guards() {
        if (password != null && token != null) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.password_and_token");
        }
        if (password != null && password.isBlank()) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.empty_password");
        }
        secret = password != null ? password : token == null ? null
                : token.isBlank() ? newToken() : token.strip();
        try {
            return Guards.defaults()
                    .withLimits(maxText, maxRooms, maxConnections, rate, burst)
                    .withAllowedOrigins(Set.copyOf(allowedOrigins))
                    .withSecret(secret);
        } catch (IllegalArgumentException e) {
            throw new CommandException(ExitCodes.USAGE, e, "error.usage.limits");
        }
    }

    /**
     * The certificate and key of {@code --tls-cert} and {@code --tls-key}, read before
     * anything starts; null when neither is given.
     *
     * @throws CommandException with {@link ExitCodes#USAGE} naming the file that cannot be
     *     used, or when only one of the two is given
     */
    private TlsIdentity tlsIdentity() {
        if (tlsCertificate == null && tlsKey == null) {
            return null;
        }
        if (tlsCertificate == null || tlsKey == null) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.tls_pair");
        }
        try {
            return TlsIdentity.load(tlsCertificate, tlsKey);
        } catch (TlsIdentity.FileException e) {
            throw new CommandException(ExitCodes.USAGE, e,
                    "error.usage.tls_" + e.problem().name().toLowerCase(Locale.ROOT),
                    e.file().toString());
        }
    }

    /** 128 random bits in URL-safe base64: nobody guesses it, anyone can type it. */
    private static String newToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private Node start(BrokerUrls.NodeBroker engine, Guards guards, FsyncPolicy policy) {
        if (maxFrameBytes < 1_024) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.limits");
        }
        NodeSettings settings = NodeSettings.defaults().withHost(host).withPort(port)
                .withMaxFrameBytes(maxFrameBytes).withGuards(guards).withTls(tls);
        Operator operator = operator();
        if (engine.name().equals(BrokerUrls.EMBEDDED)) {
            Path dir = Path.of(engine.where());
            operator = operator.withRestart(() -> reopen(dir, policy));
        }
        try {
            return Node.start(engine.broker(), engine.names(), settings, operator);
        } catch (PortInUseException e) {
            int other = port < MAX_PORT ? port + 1 : NodeSettings.DEFAULT_PORT;
            throw new CommandException(ExitCodes.UNREACHABLE, e, "error.port_in_use",
                    String.valueOf(port), String.valueOf(other));
        }
    }

    /**
     * For each address others may use, the browser address and the command that join; then
     * the operator's token, for whoever started the server.
     */
    private void printWhereToJoin(int boundPort, BrokerUrls.NodeBroker engine,
            List<InetAddress> announced, String operatorToken) {
        PrintStream out = context.out();
        out.println(texts.get("server.running", String.valueOf(boundPort),
                texts.get("server.engine_" + engine.name(), engine.where())));

        WhereToJoin where = new WhereToJoin(texts, launcher(), boundPort, tokenQuery(),
                tokenOption() + caOption(), tls != null);
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
        printAccess();
        printTls();
        out.println(texts.get("server.operator_token", operatorToken, launcher()));
        out.println(texts.get("server.stop_hint"));
    }

    /** Says who may join: anyone on the network, or those who have the password or token. */
    private void printAccess() {
        PrintStream out = context.out();
        if (secret == null) {
            out.println(texts.get("server.open_warning"));
        } else if (password != null) {
            out.println(texts.get("server.password_note"));
        } else {
            out.println(texts.get("server.token_note"));
        }
    }

    /** Says that the traffic is encrypted, or that it is not, and how clients trust it. */
    private void printTls() {
        if (tls == null) {
            return;
        }
        String file = tlsCertificate.toString();
        context.out().println(texts.get(selfSigned() ? "server.tls_self_signed"
                : "server.tls_note", file, tlsCertificate.getFileName().toString()));
        X509Certificate certificate = tls.certificate();
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException e) {
            context.out().println(texts.get("server.tls_expired", file,
                    day(certificate.getNotAfter())));
        } catch (CertificateNotYetValidException e) {
            context.out().println(texts.get("server.tls_not_yet_valid", file,
                    day(certificate.getNotBefore())));
        }
    }

    /** The day of {@code date} on this computer's calendar, as 2026-12-04. */
    private static String day(Date date) {
        return LocalDate.ofInstant(date.toInstant(), ZoneId.systemDefault()).toString();
    }

    /** {@code  --ca FILE} when clients need the certificate itself to trust it. */
    private String caOption() {
        return tls != null && selfSigned()
                ? " --ca " + tlsCertificate.getFileName() : "";
    }

    /** Whether the node's certificate signed itself, so that no authority vouches for it. */
    private boolean selfSigned() {
        return tls.certificate().getSubjectX500Principal()
                .equals(tls.certificate().getIssuerX500Principal());
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
        String url = (tls != null ? "https://" : "http://") + uriHost + ":" + boundPort + "/"
                + tokenQuery();
        context.out().println(texts.get("server.qr", url));
        QrCodes.draw(url, QrCodes.Style.forTerminal(context.environment()))
                .forEach(context.out()::println);
    }

    /** The operator's restart of the embedded broker: closes it and opens its folder again. */
    private BrokerRestart.Restarted reopen(Path dir, FsyncPolicy policy) {
        running.get().close();
        MemoryBroker fresh = BrokerUrls.embedded(dir, policy);
        running.set(fresh);
        return new BrokerRestart.Restarted(fresh, fresh);
    }

    /** The operator: the token in {@code CARTERO_OPERATOR_TOKEN}, else a new random one. */
    private Operator operator() {
        String fixed = context.environment().get(OPERATOR_TOKEN);
        if (fixed == null || fixed.isBlank()) {
            return Operator.random();
        }
        try {
            return Operator.withToken(fixed.strip());
        } catch (IllegalArgumentException e) {
            throw new CommandException(ExitCodes.USAGE, e, "error.usage.operator_token",
                    OPERATOR_TOKEN);
        }
    }

    /** {@code ?token=...} for a browser address when a token is asked; else nothing. */
    private String tokenQuery() {
        return secret == null || password != null ? ""
                : "?token=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    }

    /** What a join command adds so that the node admits it. */
    private String tokenOption() {
        if (secret == null) {
            return "";
        }
        return password != null ? texts.get("server.join_password") : " --token " + secret;
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
