package io.cartero.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartero.bench.BenchPlan;
import io.cartero.bench.BenchResult;
import io.cartero.bench.BrokerLoad;
import io.cartero.bench.NodeLoad;
import io.cartero.broker.Broker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cartero bench}: a load generator, in the spirit of {@code redis-benchmark}. Through
 * nodes ({@code --server}, several separated by commas) it opens raw WebSocket connections;
 * straight on a broker ({@code --broker}) it uses the broker's ports in this process. It
 * prints a table for people or, with {@code --json}, one JSON object for scripts.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false)
final class BenchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CliContext context;
    private final Texts texts;

    @Mixin
    private ServerOption server;

    @Option(names = {"-S", "--subscribers"}, paramLabel = "S", defaultValue = "100",
            descriptionKey = "subscribers")
    private int subscribers;

    @Option(names = {"-P", "--publishers"}, paramLabel = "P", defaultValue = "10",
            descriptionKey = "publishers")
    private int publishers;

    @Option(names = {"-r", "--rate"}, paramLabel = "R|max", defaultValue = "1000",
            descriptionKey = "rate")
    private String rate;

    @Option(names = {"-d", "--duration"}, paramLabel = "T", defaultValue = "10s",
            descriptionKey = "duration")
    private String duration;

    @Option(names = {"-w", "--warmup"}, paramLabel = "W", defaultValue = "3s",
            descriptionKey = "warmup")
    private String warmup;

    @Option(names = "--payload", paramLabel = "BYTES", defaultValue = "100",
            descriptionKey = "payload")
    private int payload;

    @Option(names = "--rooms", paramLabel = "N", defaultValue = "1",
            descriptionKey = "rooms")
    private int rooms;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "0",
            descriptionKey = "messages")
    private long messages;

    @Option(names = "--idle", paramLabel = "N", defaultValue = "0",
            descriptionKey = "idle")
    private int idle;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            descriptionKey = "threads")
    private int threads;

    @Option(names = "--json", descriptionKey = "json")
    private boolean json;

    BenchCommand(CliContext context) {
        this.context = context;
        this.texts = context.texts();
    }

    @Override
    public Integer call() throws InterruptedException {
        BenchPlan plan = plan();
        BenchResult result = server.isDirect() ? direct(plan) : throughNodes(plan);
        context.out().println(json ? json(result) : BenchTable.render(texts, result));
        return ExitCodes.OK;
    }

    private BenchPlan plan() {
        atLeast("--subscribers", subscribers, 0);
        atLeast("--publishers", publishers, 1);
        atLeast("--rooms", rooms, 1);
        atLeast("--messages", messages, 0);
        atLeast("--idle", idle, 0);
        atLeast("--threads", threads, 1);
        if (payload < 1 || payload > BenchPlan.MAX_PAYLOAD) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.bench_payload",
                    String.valueOf(payload));
        }
        Duration measured = duration("--duration", duration);
        if (measured.isZero()) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.bench_time", "--duration",
                    duration);
        }
        return new BenchPlan(subscribers, publishers, rate(rate), measured,
                duration("--warmup", warmup), payload, rooms, messages, idle, threads);
    }

    private static void atLeast(String option, long value, long least) {
        if (value < least) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.bench_at_least", option,
                    String.valueOf(least), String.valueOf(value));
        }
    }

    private BenchResult throughNodes(BenchPlan plan) throws InterruptedException {
        String secret = server.secret();
        List<URI> nodes = Arrays.stream(server.url().split(",")).filter(s -> !s.isBlank())
                .map(BrokerUrls::nodeUri).map(uri -> upgradeUri(uri, secret)).toList();
        if (!json) {
            context.err().println(texts.get("bench.connecting",
                    plan.subscribers() + plan.publishers() + plan.idle(), server.url().strip()));
        }
        try {
            return NodeLoad.run(nodes, plan);
        } catch (IOException e) {
            String why = String.valueOf(e.getMessage());
            if (why.endsWith(": too_many_connections")) {
                throw new CommandException(ExitCodes.UNREACHABLE, e,
                        "error.bench.too_many_connections", why);
            }
            if (why.endsWith(": unauthorized") || why.endsWith(": too_many_attempts")) {
                throw new CommandException(ExitCodes.UNREACHABLE, e,
                        "error.bench.unauthorized", why);
            }
            throw new CommandException(ExitCodes.UNREACHABLE, e, "error.bench.failed", why);
        }
    }

    /**
     * The address the load generator upgrades at: the node's {@code /ws}, with the password or
     * token as the {@code token} parameter. The generator speaks plain WebSocket only.
     */
    private static URI upgradeUri(URI node, String secret) {
        if (!"ws".equals(node.getScheme())) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.bench_tls", node.toString());
        }
        String path = node.getRawPath() == null ? "" : node.getRawPath();
        path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        path = path.endsWith("/ws") ? path : path + "/ws";
        String query = secret == null ? ""
                : "?token=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return URI.create("ws://" + node.getRawAuthority() + path + query);
    }

    private BenchResult direct(BenchPlan plan) throws InterruptedException {
        if (plan.idle() > 0) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.bench_idle");
        }
        Broker broker = server.open(context, null, aside -> { });
        try {
            return BrokerLoad.run(broker, plan);
        } finally {
            broker.close();
        }
    }

    /** A rate: {@code max} (0), or messages per second. */
    static int rate(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("max")) {
            return 0;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            throw new CommandException(ExitCodes.USAGE, e, "error.usage.bench_rate", text);
        }
        throw new CommandException(ExitCodes.USAGE, "error.usage.bench_rate", text);
    }

    /**
     * A time: a number of seconds, or a number followed by {@code ms}, {@code s} or
     * {@code m}.
     */
    static Duration duration(String option, String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        long factor = 1000;
        if (value.endsWith("ms")) {
            factor = 1;
            value = value.substring(0, value.length() - 2);
        } else if (value.endsWith("s")) {
            value = value.substring(0, value.length() - 1);
        } else if (value.endsWith("m")) {
            factor = 60_000;
            value = value.substring(0, value.length() - 1);
        }
        double amount;
        try {
            amount = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new CommandException(ExitCodes.USAGE, e, "error.usage.bench_time", option,
                    text);
        }
        if (!(amount >= 0) || Double.isInfinite(amount) || amount * factor > Long.MAX_VALUE / 2) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.bench_time", option, text);
        }
        return Duration.ofMillis(Math.round(amount * factor));
    }

    private static String json(BenchResult result) {
        try {
            return JSON.writeValueAsString(BenchTable.fields(result));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
