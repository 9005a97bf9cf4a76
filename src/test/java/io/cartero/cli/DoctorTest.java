package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cartero doctor} against the real causes of each diagnosis, all on 127.0.0.1: a closed
 * port, a listener that never answers, a web server, a full accept queue (which drops new
 * connections the way a firewall does), a real node, TLS on one side only, and real
 * {@code redis-server}s with a password, in protected mode, and on the other usual port.
 */
class DoctorTest {
    private static final String TIMEOUT = "2";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Process> redises = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        for (Process redis : redises) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClosedPortIsNothingListeningThereInBothLanguages() throws IOException {
        int port = closedPort();
        Cli english = new Cli();
        Cli spanish = new Cli();

        assertThat(english.run("doctor", "--server", "127.0.0.1:" + port))
                .isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(spanish.run("--lang", "es", "doctor", "-s", "ws://127.0.0.1:" + port))
                .isEqualTo(ExitCodes.UNREACHABLE);

        assertThat(flat(english.out())).contains("· This computer's network addresses:",
                "✓ 127.0.0.1 is an IP address", "✗ Port " + port + " on 127.0.0.1: "
                        + "connection refused",
                "Likely cause: Nothing listens on port " + port + " of 127.0.0.1",
                "start it: ./cartero server", "1 problem found");
        assertThat(flat(spanish.out())).contains("Direcciones de red de esta computadora",
                "✗ Puerto " + port + " de 127.0.0.1: conexión rechazada",
                "Causa probable: Nada escucha en el puerto " + port,
                "Qué hacer: En esa computadora, inícialo: ./cartero server");
    }

    @Test
    void aFullAcceptQueueTimesOutAndTheFixNamesEachFirewall() throws IOException {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket full = TestSockets.withFullBacklog(held)) {
            int port = full.getLocalPort();
            Cli cli = new Cli();

            assertThat(cli.run("doctor", "--server", "127.0.0.1:" + port, "--timeout", "1"))
                    .isEqualTo(ExitCodes.UNREACHABLE);

            String netsh = "netsh advfirewall firewall add rule name=\"Cartero\" dir=in "
                    + "action=allow protocol=TCP localport=" + port;
            assertThat(flat(cli.out())).contains(
                    "✗ Port " + port + " on 127.0.0.1: no answer within 1 s",
                    "a firewall drops the connection", netsh,
                    "System Settings › Network › Firewall",
                    "sudo ufw allow " + port + "/tcp", "firewall-cmd --add-port=" + port);
            List<String> lines = cli.out().lines().toList();
            assertThat(lines).as("the commands to copy, each on a line of its own")
                    .anyMatch(line -> line.endsWith(netsh))
                    .anyMatch(line -> line.strip().startsWith("Linux: sudo ufw allow"));
            assertThat(lines).as("prose wrapped for a terminal of 80 columns")
                    .filteredOn(line -> !line.startsWith(" ".repeat(8)))
                    .allMatch(line -> line.codePointCount(0, line.length()) <= 78);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void aListenerThatNeverAnswersIsNotACarteroServer() throws IOException {
        TestSockets silent = keep(TestSockets.silent());
        Cli cli = new Cli();

        assertThat(cli.run("doctor", "--server", "127.0.0.1:" + silent.port(), "--timeout",
                TIMEOUT)).isEqualTo(ExitCodes.REFUSED);

        assertThat(flat(cli.out())).contains("✓ Port " + silent.port() + " on 127.0.0.1 accepts",
                "✗ No Cartero server answered at ws://127.0.0.1:" + silent.port(),
                "Something accepts connections on port " + silent.port()
                        + " of 127.0.0.1 but does not answer as a Cartero server");
    }

    @Test
    void aWebServerThatRefusesTheUpgradeIsNotACarteroServer() throws IOException {
        HttpServer web = HttpServer.create(new InetSocketAddress(
                InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        web.start();
        resources.add(() -> web.stop(0));
        int port = web.getAddress().getPort();
        Cli cli = new Cli();

        assertThat(cli.run("doctor", "--server", "127.0.0.1:" + port)).isEqualTo(
                ExitCodes.REFUSED);

        assertThat(flat(cli.out())).contains("A web server answers on port " + port
                + " of 127.0.0.1 (HTTP 404), but it is not a Cartero server");
    }

    @Test
    void aRunningNodeIsAllGoodWithItsRoundTrip() throws Exception {
        Cli server = new Cli();
        CompletableFuture<Integer> exit = server.start("server", "--host", "127.0.0.1",
                "--port", "0", "--broker", "memory");
        await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C"));
        Matcher running = Pattern.compile("running on port (\\d+)").matcher(server.out());
        assertThat(running.find()).isTrue();
        Cli cli = new Cli();

        int code = cli.run("doctor", "--server", "localhost:" + running.group(1));
        server.stop();

        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(code).as(cli.out()).isEqualTo(ExitCodes.OK);
        assertThat(flat(cli.out()))
                .containsPattern("✓ The name localhost is the address 127\\.0\\.0\\.1")
                .containsPattern("✓ Cartero server \\S+ answered hello \\(protocol 1\\)")
                .containsPattern("✓ Round trip: \\d+\\.\\d+ ms \\(median of 5 pings\\)")
                .contains("All good: Cartero can connect to localhost:" + running.group(1))
                .doesNotContain("✗");
    }

    @Test
    void aNodeWithATokenSaysItNeedsOneTellsAWrongOneAndTakesTheRightOne() throws Exception {
        String token = "curso-redes-7Hq2";
        Cli server = new Cli();
        CompletableFuture<Integer> exit = server.start("server", "--host", "127.0.0.1",
                "--port", "0", "--broker", "memory", "--token", token);
        await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C"));
        Matcher running = Pattern.compile("running on port (\\d+)").matcher(server.out());
        assertThat(running.find()).isTrue();
        String url = "ws://127.0.0.1:" + running.group(1);
        Cli none = new Cli();
        Cli spanish = new Cli();
        Cli wrong = new Cli();
        Cli right = new Cli();
        Cli fromEnvironment = new Cli().env("CARTERO_TOKEN", token);
        Cli inTheAddress = new Cli();

        int noneCode = none.run("doctor", "--server", url);
        int spanishCode = spanish.run("--lang", "es", "doctor", "--server", url);
        int wrongCode = wrong.run("doctor", "--server", url, "--token", token + "x");
        int rightCode = right.run("doctor", "--server", url, "--token", token);
        int environmentCode = fromEnvironment.run("doctor", "--server", url);
        int addressCode = inTheAddress.run("doctor", "--server", url + "/?token=" + token);
        server.stop();

        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(noneCode).as(none.out()).isEqualTo(ExitCodes.REFUSED);
        assertThat(flat(none.out())).contains(
                "✗ The Cartero server at " + url + " asks for a password or an access token",
                "--token TOKEN", "--password PASSWORD", "CARTERO_TOKEN", "?token=TOKEN")
                .doesNotContain("No Cartero server answered");
        assertThat(spanishCode).isEqualTo(ExitCodes.REFUSED);
        assertThat(flat(spanish.out())).contains("pide una contraseña o un token de acceso",
                "Dáselo a doctor como a chat");
        assertThat(wrongCode).isEqualTo(ExitCodes.REFUSED);
        assertThat(flat(wrong.out())).contains("refused the password or token given: wrong"
                + " token or password", "changes each time the server starts");
        for (Cli admitted : List.of(right, fromEnvironment, inTheAddress)) {
            assertThat(flat(admitted.out())).contains(
                    "✓ The server accepted the password or token",
                    "All good: Cartero can connect to " + url).doesNotContain("✗");
        }
        assertThat(List.of(rightCode, environmentCode, addressCode)).containsOnly(ExitCodes.OK);
        for (Cli cli : List.of(none, spanish, wrong, right, fromEnvironment, inTheAddress)) {
            assertThat(cli.out() + cli.err()).doesNotContain(token);
        }
    }

    @Test
    void aNodeWithAPasswordTellsAMissingOneAndTakesItFromTheEnvironment() throws Exception {
        Cli server = new Cli().env("CARTERO_PASSWORD", "clase-de-redes-7");
        CompletableFuture<Integer> exit = server.start("server", "--host", "127.0.0.1",
                "--port", "0", "--broker", "memory");
        await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C"));
        Matcher running = Pattern.compile("running on port (\\d+)").matcher(server.out());
        assertThat(running.find()).isTrue();
        String url = "ws://127.0.0.1:" + running.group(1);
        Cli missing = new Cli();
        Cli given = new Cli().env("CARTERO_PASSWORD", "clase-de-redes-7");
        Cli json = new Cli();

        int missingCode = missing.run("doctor", "--server", url);
        int givenCode = given.run("doctor", "--server", url);
        int jsonCode = json.run("doctor", "--server", url, "--password", "otra", "--json");
        server.stop();

        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(missingCode).isEqualTo(ExitCodes.REFUSED);
        assertThat(flat(missing.out())).contains("asks for a password or an access token");
        assertThat(givenCode).as(given.out()).isEqualTo(ExitCodes.OK);
        assertThat(jsonCode).isEqualTo(ExitCodes.REFUSED);
        JsonNode report = new ObjectMapper().readTree(json.out());
        JsonNode last = report.get("steps").get(report.get("steps").size() - 1);
        assertThat(last.get("check").asText()).isEqualTo("access");
        assertThat(last.get("problem").asText()).isEqualTo("access_wrong");
        assertThat(json.out()).doesNotContain("clase-de-redes-7").doesNotContain("otra\"");
    }

    @Test
    void plainTextToATlsPortSaysToUseTheTlsScheme() throws Exception {
        TestSockets tls = keep(TestSockets.selfSignedTls(dir));
        Cli node = new Cli();
        Cli redis = new Cli();

        assertThat(node.run("doctor", "--server", "ws://127.0.0.1:" + tls.port(), "--timeout",
                TIMEOUT)).isEqualTo(ExitCodes.REFUSED);
        assertThat(redis.run("doctor", "--broker", "redis://127.0.0.1:" + tls.port(),
                "--timeout", TIMEOUT)).isEqualTo(ExitCodes.REFUSED);

        assertThat(flat(node.out())).contains("Port " + tls.port() + " of 127.0.0.1 speaks TLS "
                + "(encrypted), but the address asks for plain text (ws://)",
                "Write the address with wss:// instead of ws://.");
        assertThat(flat(redis.out())).contains("speaks TLS (encrypted), but the address asks for "
                + "plain text (redis://)", "Write the address with rediss:// instead of redis://.");
    }

    @Test
    void tlsToAPlainRedisSaysToUseThePlainSchemeAndAnUntrustedCertificateIsNamed()
            throws Exception {
        int plain = startRedis();
        TestSockets tls = keep(TestSockets.selfSignedTls(dir));
        Cli toPlain = new Cli();
        Cli untrusted = new Cli();

        assertThat(toPlain.run("doctor", "--broker", "rediss://127.0.0.1:" + plain, "--timeout",
                TIMEOUT)).isEqualTo(ExitCodes.REFUSED);
        assertThat(untrusted.run("doctor", "--broker", "rediss://127.0.0.1:" + tls.port(),
                "--timeout", TIMEOUT)).isEqualTo(ExitCodes.REFUSED);

        assertThat(flat(toPlain.out())).contains("✗ TLS handshake failed",
                "The address asks for TLS (rediss://), but port " + plain
                        + " of 127.0.0.1 speaks plain text.",
                "Write the address with redis:// instead of rediss://.");
        assertThat(flat(untrusted.out())).contains("✗ TLS handshake failed",
                "this computer does not trust its certificate");
    }

    @Test
    void aRedisWithAPasswordTellsAMissingOneAWrongOneAndTakesTheRightOne() throws Exception {
        int port = startRedis("--requirepass", "s3cret-pass");
        Cli none = new Cli();
        Cli wrong = new Cli();
        Cli right = new Cli();
        Cli spanish = new Cli();

        assertThat(none.run("doctor", "--broker", "redis://127.0.0.1:" + port))
                .isEqualTo(ExitCodes.REFUSED);
        assertThat(wrong.run("doctor", "--broker", "redis://:otra-cosa@127.0.0.1:" + port))
                .isEqualTo(ExitCodes.REFUSED);
        assertThat(right.run("doctor", "--broker", "redis://:s3cret-pass@127.0.0.1:" + port))
                .isEqualTo(ExitCodes.OK);
        assertThat(spanish.run("--lang", "es", "doctor", "--broker",
                "redis://:otra-cosa@127.0.0.1:" + port)).isEqualTo(ExitCodes.REFUSED);

        assertThat(flat(none.out())).contains("✗ Redis did not answer PING: NOAUTH",
                "Redis asks for a password, and the address has none.",
                "redis://:PASSWORD@127.0.0.1:" + port);
        assertThat(flat(wrong.out())).contains("checking redis://127.0.0.1:" + port,
                "✗ Redis refused the login: WRONGPASS",
                "Redis refused the password (or the user name) in the address.")
                .doesNotContain("otra-cosa");
        assertThat(flat(right.out())).contains("✓ Redis accepted the password")
                .containsPattern("✓ Redis \\d+\\.\\d+\\.\\d+ answered PING")
                .containsPattern("✓ Round trip: \\d+\\.\\d+ ms \\(median of 5 PINGs\\)")
                .contains("All good").doesNotContain("s3cret-pass");
        assertThat(flat(spanish.out())).contains("Redis rechazó la contraseña");
    }

    @Test
    void aRedisInProtectedModeRefusesAClientFromAnotherAddress() throws Exception {
        int port = startRedis("--protected-mode", "yes");
        TestSockets proxy = keep(TestSockets.fromOtherAddress(port));
        Cli cli = new Cli();

        assertThat(cli.run("doctor", "--broker", "redis://127.0.0.1:" + proxy.port()))
                .isEqualTo(ExitCodes.REFUSED);

        assertThat(flat(cli.out())).contains("✗ Redis did not answer PING: DENIED",
                "it runs in protected mode because it has no password",
                "redis-server --requirepass PASSWORD", "./cartero redis --lan");
    }

    @Test
    void nothingOnTheUsualPortButARedisOnTheOtherIsAPortMixUp() throws Exception {
        assumeThat(isFree(6380)).as("port 6380 is free here").isTrue();
        assumeThat(isFree(6379)).as("nothing listens on 6379 here").isTrue();
        startRedis(6380);
        Cli cli = new Cli();

        assertThat(cli.run("doctor", "--broker", "redis://127.0.0.1:6379"))
                .isEqualTo(ExitCodes.UNREACHABLE);

        assertThat(flat(cli.out())).contains("✗ Port 6379 on 127.0.0.1: connection refused",
                "but a Redis answers on port 6380", "Use port 6380: redis://127.0.0.1:6380");
    }

    @Test
    void printsOneJsonObjectForScripts() throws Exception {
        int port = closedPort();
        Cli cli = new Cli();

        assertThat(cli.run("doctor", "--server", "127.0.0.1:" + port, "--json"))
                .isEqualTo(ExitCodes.UNREACHABLE);

        JsonNode report = new ObjectMapper().readTree(cli.out());
        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(report.get("exit_code").asInt()).isEqualTo(ExitCodes.UNREACHABLE);
        JsonNode last = report.get("steps").get(report.get("steps").size() - 1);
        assertThat(last.get("check").asText()).isEqualTo("tcp");
        assertThat(last.get("outcome").asText()).isEqualTo("failed");
        assertThat(last.get("problem").asText()).isEqualTo("refused");
        assertThat(last.get("fix").asText()).contains("./cartero server");
    }

    @Test
    void aBadAddressOrTimeoutIsAUsageError() {
        Cli badUrl = new Cli();
        Cli badTimeout = new Cli();
        Cli both = new Cli();

        assertThat(badUrl.run("doctor", "--broker", "kafka://x:1")).isEqualTo(ExitCodes.USAGE);
        assertThat(badTimeout.run("doctor", "--timeout", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(both.run("doctor", "--server", "a:1", "--broker", "redis://b:2"))
                .isEqualTo(ExitCodes.USAGE);

        assertThat(badUrl.err()).contains("kafka://x:1 is not a broker");
        assertThat(badTimeout.err()).contains("--timeout must be more than 0");
        assertThat(both.err()).contains("Choose --server");
        assertThat(badUrl.out() + badTimeout.out() + both.out()).isEmpty();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private int startRedis(String... settings) throws IOException {
        return startRedis(closedPort(), settings);
    }

    /** A real {@code redis-server} on {@code port} of 127.0.0.1, keeping nothing on disk. */
    private int startRedis(int port, String... settings) throws IOException {
        Path binary = redisServer();
        assumeThat(binary).as("redis-server is installed").isNotNull();
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--port",
                String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toString()));
        command.addAll(List.of(settings));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        redises.add(process);
        await().atMost(WAIT).until(() -> !process.isAlive() || !isFree(port));
        assertThat(process.isAlive()).as("redis-server started on port " + port).isTrue();
        return port;
    }

    private static Path redisServer() {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(folder, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The report with its lines joined: the checks read sentences, wherever they wrap. */
    private static String flat(String report) {
        return report.replaceAll("\\s+", " ");
    }
}
