package io.cartero.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cartero redis}: runs a real Redis for a class without Docker, from the
 * {@code redis-server} installed here, until Ctrl+C or SIGTERM; and prints the commands that
 * use it. Loopback only by default; on the LAN only for an ACL user {@code cartero} with a
 * password, limited to Cartero's keys and channels. Its data lives in the
 * {@code --data} folder, in an append-only file synced every second (see {@link RedisProcess}).
 */
@Command(name = "redis", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false)
final class RedisCommand implements Callable<Integer> {
    /** Redis's own port is 6379; this one leaves a system Redis alone. */
    static final int DEFAULT_PORT = 6380;
    private static final int MAX_PORT = 65_535;
    /** Letters, digits and {@code - _ . ~}: safe in a URL, a shell and Python alike. */
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9._~-]{8,128}");
    private static final int PASSWORD_BYTES = 12;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(100);
    /** How long a dead child may wait for the stop signal that (Ctrl+C) killed it too. */
    private static final Duration SIGNAL_GRACE = Duration.ofSeconds(1);
    private static final String QUEUE = "chat_simple";

    private final CliContext context;
    private final Texts texts;
    private final RedisServerBinary binary;

    @Option(names = {"-p", "--port"}, paramLabel = "${bundle:label.port:-PORT}",
            defaultValue = "" + DEFAULT_PORT, descriptionKey = "port")
    private int port;

    @Option(names = "--lan", descriptionKey = "lan")
    private boolean lan;

    @Option(names = "--password", paramLabel = "${bundle:label.password:-PASSWORD}",
            descriptionKey = "password")
    private String password;

    @Option(names = {"-d", "--data"}, paramLabel = "${bundle:label.dir:-FOLDER}",
            defaultValue = RedisProcess.DEFAULT_DATA, descriptionKey = "data")
    private Path data;

    RedisCommand(CliContext context) {
        this(context, new RedisServerBinary(context.environment().get("PATH"),
                RedisServerBinary.USUAL_PLACES));
    }

    /** With {@code binary} to find {@code redis-server}: tests look where there is none. */
    RedisCommand(CliContext context, RedisServerBinary binary) {
        this.context = context;
        this.texts = context.texts();
        this.binary = binary;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 1 || port > MAX_PORT) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.redis_port",
                    String.valueOf(port));
        }
        String secret = chosenPassword();
        Path program = binary.find().orElseThrow(
                () -> new CommandException(ExitCodes.UNREACHABLE, "error.redis_missing"));
        context.trapInterrupt();
        try (RedisProcess redis = start(program, secret)) {
            awaitReady(redis);
            printHowToUse(secret);
            watch(redis);
        }
        context.out().println(texts.get("redis.stopped"));
        return ExitCodes.OK;
    }

    /** The password given, a new one for the LAN, or none on loopback. */
    private String chosenPassword() {
        if (password != null) {
            if (!PASSWORD.matcher(password).matches()) {
                throw new CommandException(ExitCodes.USAGE, "error.usage.redis_password");
            }
            return password;
        }
        if (!lan) {
            return null;
        }
        byte[] bytes = new byte[PASSWORD_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private RedisProcess start(Path program, String secret) {
        try {
            return RedisProcess.start(program, port, lan, secret, data.toAbsolutePath());
        } catch (IOException e) {
            throw new CommandException(ExitCodes.UNREACHABLE, e, "error.redis_died",
                    program + ": " + e.getMessage());
        }
    }

    /** Waits, a bounded time, until the child answers; fails if it dies or stays silent. */
    private void awaitReady(RedisProcess redis) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!redis.answers()) {
            if (!redis.isAlive()) {
                throw died(redis);
            }
            if (System.nanoTime() > deadline) {
                throw new CommandException(ExitCodes.UNREACHABLE, "error.redis_died",
                        String.join("\n", redis.lastLines()));
            }
            Thread.sleep(POLL.toMillis());
        }
        redis.forgetConfig();
    }

    /** Runs until asked to stop; a child that dies on its own is a failure. */
    private void watch(RedisProcess redis) throws InterruptedException {
        while (!context.stop().awaitStop(POLL)) {
            if (!redis.isAlive() && !context.stop().awaitStop(SIGNAL_GRACE)) {
                throw died(redis);
            }
        }
    }

    private CommandException died(RedisProcess redis) {
        List<String> lines = redis.lastLines();
        if (lines.stream().anyMatch(line -> line.contains("Address already in use"))) {
            int other = port < MAX_PORT ? port + 1 : DEFAULT_PORT;
            return new CommandException(ExitCodes.UNREACHABLE, "error.port_in_use",
                    String.valueOf(port), String.valueOf(other));
        }
        return new CommandException(ExitCodes.UNREACHABLE, "error.redis_died",
                String.join("\n", lines));
    }

    private void printHowToUse(String secret) {
        PrintStream out = context.out();
        out.println(texts.get("redis.ready", String.valueOf(port),
                data.toAbsolutePath().normalize().toString()));
        if (lan) {
            printLanCommands(secret);
            out.println(texts.get("redis.from_here"));
        } else {
            out.println(texts.get(secret == null ? "redis.local_only"
                    : "redis.local_only_password"));
        }
        printCommands("127.0.0.1", secret);
        out.println(texts.get("redis.stop_hint"));
    }

    private void printLanCommands(String secret) {
        List<InetAddress> addresses = LanAddresses.ipv4();
        if (addresses.isEmpty()) {
            context.out().println(texts.get("redis.no_lan"));
            return;
        }
        context.out().println(texts.get("redis.lan", secret, RedisProcess.USER));
        for (InetAddress address : addresses) {
            context.out().println(texts.get("redis.at_address", address.getHostAddress()));
            printCommands(address.getHostAddress(), secret);
        }
    }

    /** The commands that use this Redis from {@code host}. */
    private void printCommands(String host, String secret) {
        PrintStream out = context.out();
        String user = lan ? RedisProcess.USER : "";
        String userInfo = secret == null ? "" : user + ":" + secret + "@";
        String url = "redis://" + userInfo + host + ":" + port;
        String launcher = launcher();
        out.println(texts.get("redis.server_command", launcher, url));
        out.println(texts.get("redis.receive_command", launcher, url, QUEUE));
        out.println(texts.get("redis.send_command", launcher, url, QUEUE));
        String auth = secret == null ? "" : lan ? " --user " + user + " --pass " + secret
                : " -a " + secret;
        out.println(texts.get("redis.cli_command", host, String.valueOf(port), auth));
        String pythonUser = lan && secret != null ? ", username=\"" + user + "\"" : "";
        String pythonPassword = secret == null ? "" : pythonUser + ", password=\"" + secret
                + "\"";
        out.println(texts.get("redis.python_hint", host, String.valueOf(port),
                pythonPassword));
    }

    /** How people start Cartero here: the POSIX launcher, or the Windows one. */
    private static String launcher() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.startsWith("windows") ? "cartero" : "./cartero";
    }
}
