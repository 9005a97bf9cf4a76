package io.cartero.cli;

import io.cartero.broker.Broker;
import io.cartero.broker.redis.SetAside;
import io.cartero.client.ServerTrust;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --server} and {@code --broker} options of the commands that send and receive:
 * through a node (the default), or straight to a broker with no node (the classroom shape).
 * One or the other: both on the command line is a usage error; a flag wins over the other
 * one's environment variable.
 */
final class ServerOption {
    /** Where a node runs when neither {@code --server} nor {@code CARTERO_SERVER} says. */
    static final String DEFAULT_SERVER = "ws://localhost:8080";

    @Option(names = {"-s", "--server"}, paramLabel = "URL", defaultValue = DEFAULT_SERVER,
            descriptionKey = "server")
    private String url;

    @Option(names = "--broker", paramLabel = "URL", descriptionKey = "direct_broker")
    private String broker;

    @Option(names = "--no-discovery", descriptionKey = "no_discovery")
    private boolean noDiscovery;

    @Option(names = "--token", paramLabel = "TOKEN", descriptionKey = "cartero.option.token")
    private String token;

    @Option(names = "--password", paramLabel = "${bundle:label.password:-PASSWORD}",
            descriptionKey = "cartero.option.password")
    private String password;

    @Option(names = "--ca", paramLabel = "${bundle:label.file:-FILE}",
            descriptionKey = "cartero.option.ca")
    private Path ca;

    @Option(names = "--insecure", descriptionKey = "cartero.option.insecure")
    private boolean insecure;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    /** The server's address as the user gave it. */
    String url() {
        return url;
    }

    /**
     * The password or token to present to the node: {@code --token} or {@code --password}
     * (or their variables), else the {@code token} parameter of the address; null if none.
     */
    String secret() {
        if (token != null) {
            return token;
        }
        if (password != null) {
            return password;
        }
        return Arrays.stream(url.split(",")).map(BrokerUrls::tokenOf).filter(Objects::nonNull)
                .findFirst().orElse(null);
    }

    /**
     * The broker to talk to: the one {@code --broker} names, else the node at {@code --server}.
     *
     * @param context where the warning of {@code --insecure} goes
     * @param name the user name to take on a node, or {@code null} to only read
     * @param setAside told of malformed entries a Redis broker sets aside
     * @throws CommandException with {@link ExitCodes#USAGE} if both options were given
     */
    Broker open(CliContext context, String name, Consumer<SetAside> setAside) {
        String direct = directBroker();
        if (direct != null) {
            RedisEnvironment redisEnv = RedisEnvironment.of(context.environment());
            Broker broker = BrokerUrls.direct(direct, setAside, redisEnv);
            if (BrokerUrls.isRedis(direct)) {
                RedisExposure.standard().warnIfOpen(direct, redisEnv, context);
            }
            return broker;
        }
        return BrokerUrls.open(url, name, token != null ? token : password, trust(context));
    }

    /**
     * Which certificates a {@code wss://} node may show: the JDK's trust store, plus those of
     * {@code --ca} ({@code CARTERO_CA}); or, with {@code --insecure}, any, after a warning on
     * standard error.
     *
     * @throws CommandException with {@link ExitCodes#USAGE} if the {@code --ca} file cannot
     *     be used
     */
    ServerTrust trust(CliContext context) {
        return trust(context, ca, insecure);
    }

    /** {@link #trust(CliContext)} for a command that takes {@code --ca} and {@code --insecure}. */
    static ServerTrust trust(CliContext context, Path ca, boolean insecure) {
        if (insecure) {
            context.err().println(context.texts().get("warning.insecure"));
            return ServerTrust.insecure();
        }
        if (ca == null) {
            return ServerTrust.system();
        }
        try {
            return ServerTrust.withCertificates(ca);
        } catch (ServerTrust.CertificateFileException e) {
            throw new CommandException(ExitCodes.USAGE, e, e.unreadable()
                    ? "error.usage.ca_unreadable" : "error.usage.ca_no_certificate",
                    ca.toString());
        }
    }

    /**
     * When nobody said which server ({@code --server}, {@code CARTERO_SERVER}) and messages go
     * through a node, looks for one on the network ({@link ServerDiscovery}) unless
     * {@code --no-discovery} or {@code CARTERO_DISCOVERY=off}; {@link #url()} is then the one
     * found or chosen, or the default.
     *
     * @throws CommandException with {@link ExitCodes#USAGE} if both options were given, or
     *     {@code CARTERO_DISCOVERY} holds an unknown value
     */
    void discover(CliContext context) {
        if (isDirect() || given("--server")) {
            return;
        }
        String variable = EnvironmentDefaults.VARIABLES.get("--server");
        String fromEnvironment = context.environment().get(variable);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return;
        }
        DiscoveryMode mode = noDiscovery ? DiscoveryMode.OFF
                : DiscoveryMode.from(context.environment());
        if (mode != DiscoveryMode.OFF) {
            url = new ServerDiscovery(context).choose(mode, DEFAULT_SERVER);
        }
    }

    /** The broker to talk to straight, with no node; null when messages go through a node. */
    String brokerUrl() {
        return directBroker();
    }

    /** Whether messages go straight to a broker, with no node. */
    boolean isDirect() {
        return directBroker() != null;
    }

    private String directBroker() {
        boolean serverGiven = given("--server");
        boolean brokerGiven = given("--broker");
        if (serverGiven && brokerGiven) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.server_and_broker");
        }
        if (brokerGiven || (!serverGiven && broker != null && !broker.isBlank())) {
            return broker;
        }
        return null;
    }

    private boolean given(String option) {
        return command.commandLine().getParseResult().hasMatchedOption(option);
    }
}
