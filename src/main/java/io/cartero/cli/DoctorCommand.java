package io.cartero.cli;

import io.cartero.client.ServerTrust;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cartero doctor}: for "it does not connect". Lists this computer's network addresses,
 * then checks the server (or, with {@code --broker}, the Redis) step by step, saying for each
 * failure the likely cause and what to do. A password or token ({@code --token},
 * {@code --password}, their variables or {@code ?token=} in the address) is presented to the
 * node and checked, and never printed. Exit code 0 when everything works, 3 when nothing
 * could be reached, 1 when something answered but not as it should.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false)
final class DoctorCommand implements Callable<Integer> {
    private static final double MAX_TIMEOUT_SECONDS = 60;

    private final CliContext context;
    private final Texts texts;

    @Mixin
    private ServerOption server;

    @Option(names = "--timeout", paramLabel = "${bundle:label.seconds:-SECONDS}",
            defaultValue = "3", descriptionKey = "doctor_timeout")
    private double timeoutSeconds;

    @Option(names = "--json", descriptionKey = "doctor_json")
    private boolean json;

    DoctorCommand(CliContext context) {
        this.context = context;
        this.texts = context.texts();
    }

    @Override
    public Integer call() {
        Duration timeout = timeout();
        String direct = server.brokerUrl();
        if (direct == null) {
            server.discover(context);
        }
        String target = direct != null ? BrokerUrls.withoutPassword(direct)
                : shownNodes(server.url());
        DoctorReport report = new DoctorReport(context, json);
        List<Checkup> checkups = direct != null ? redis(direct, target, report, timeout)
                : nodes(server.url(), report, timeout);

        report.say(texts.get("doctor.checking", target));
        report.addresses(LanAddresses.ipv4().stream().map(InetAddress::getHostAddress).toList());
        if (checkups.isEmpty()) {
            report.note("memory", texts.get("doctor.memory"));
        }
        for (Checkup checkup : checkups) {
            if (checkups.size() > 1) {
                report.say(texts.get("doctor.checking_one", checkup.target()));
            }
            checkup.run();
        }
        return report.finish(target);
    }

    private List<Checkup> redis(String url, String shown, DoctorReport report,
            Duration timeout) {
        if (BrokerUrls.MEMORY.equalsIgnoreCase(url.strip())) {
            return List.of();
        }
        RedisEnvironment redisEnv = RedisEnvironment.of(context.environment());
        RedisExposure.standard().warnIfOpen(url, redisEnv, context);
        return List.of(RedisCheckup.of(redisEnv.url(url), shown, redisEnv.socketFactory(),
                report, texts, timeout));
    }

    private List<Checkup> nodes(String url, DoctorReport report, Duration timeout) {
        if (BrokerUrls.MEMORY.equalsIgnoreCase(url.strip())) {
            return List.of();
        }
        List<URI> uris = Arrays.stream(url.split(",")).filter(part -> !part.isBlank())
                .map(BrokerUrls::withoutQuery).map(BrokerUrls::nodeUri).toList();
        if (uris.isEmpty()) {
            throw new CommandException(ExitCodes.USAGE, "error.bad_url", shownNodes(url));
        }
        ServerTrust trust = server.trust(context);
        String secret = server.secret();
        return uris.stream().<Checkup>map(uri -> new NodeCheckup(uri, secret, trust, report,
                texts, timeout)).toList();
    }

    /** The node addresses as given, without any {@code ?token=}, which is never printed. */
    private static String shownNodes(String url) {
        return String.join(",", Arrays.stream(url.split(",")).map(BrokerUrls::withoutQuery)
                .toList());
    }

    private Duration timeout() {
        if (!(timeoutSeconds > 0 && timeoutSeconds <= MAX_TIMEOUT_SECONDS)) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.doctor_timeout",
                    String.valueOf(timeoutSeconds));
        }
        return Duration.ofMillis(Math.max(1, Math.round(timeoutSeconds * 1000)));
    }
}
