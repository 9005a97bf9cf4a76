package io.cartero.cli;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code redis-server} child process, with its last lines of output kept for when it dies.
 * Thread-safe.
 *
 * <p>Its data lives in a folder of its own that outlives it, with {@code appendonly yes} and
 * {@code appendfsync everysec}: every write reaches the operating system before Redis answers,
 * so killing Redis (or Cartero) loses nothing; only a crash of the computer itself (power,
 * kernel) may lose the last second of writes. {@code always} would close that second at the
 * cost of one disk sync per write, which a classroom laptop does not need. No RDB snapshots.
 */
final class RedisProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisProcess.class);
    /** How many lines of the child's output are kept. */
    static final int KEPT_LINES = 15;
    private static final int CONNECT_MILLIS = 500;
    private static final int READ_MILLIS = 2_000;
    private static final int STOP_SECONDS = 3;
    /** Where the data lives unless told otherwise, relative to the working directory. */
    static final String DEFAULT_DATA = "cartero-redis-data";
    /** The ACL user that Cartero and the workshop's programs use on a Redis for the LAN. */
    static final String USER = "cartero";
    /**
     * What {@link #USER} may do: Cartero's keys and channels, the workshop's lists, and the
     * commands Cartero uses on them; nothing dangerous ({@code FLUSHALL}, {@code CONFIG},
     * {@code MODULE}, {@code DEBUG}...) and no other key. The rules of docs/security.md.
     */
    static final String USER_RULES = "~cartero:* ~cartero-demo-* ~chat_simple ~chat_simple:* "
            + "~chat_distribuido ~chat_distribuido:* &cartero:* &cartero-demo-* -@all +@read "
            + "+@write +@stream +@list +@hash +@set +@sortedset +@string +@scripting +@pubsub "
            + "+@connection +@transaction -@dangerous +scan +info +time +client|id "
            + "+client|unblock";

    private final Process process;
    private final Path directory;
    private final String password;
    /** Who {@link #answers()} authenticates as: {@link #USER}, or null for the default user. */
    private final String user;
    private final int port;
    /** The last {@link #KEPT_LINES} lines of output; guarded by itself. */
    private final Deque<String> lastLines = new ArrayDeque<>();

    private RedisProcess(Process process, Path directory, String password, String user,
            int port) {
        this.process = process;
        this.directory = directory;
        this.password = password;
        this.user = user;
        this.port = port;
    }

    /**
     * Starts {@code binary} on {@code port}, on loopback only or on every network. On every
     * network, the default user is off and clients log in as {@link #USER}, who may touch
     * Cartero's keys only; on loopback, a password (if any) is the default user's.
     *
     * @param password the password clients must give, or {@code null} for none (loopback only)
     * @param data the folder for the data, made (for its owner only) if missing
     * @throws IOException if the configuration cannot be written or the program not started
     */
    static RedisProcess start(Path binary, int port, boolean everyNetwork, String password,
            Path data) throws IOException {
        makeDataFolder(data);
        Path directory = privateDirectory();
        try {
            Path config = writeConfig(directory, port, everyNetwork, password, data);
            Process process = new ProcessBuilder(binary.toString(), config.toString())
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .start();
            String user = everyNetwork && password != null ? USER : null;
            RedisProcess redis = new RedisProcess(process, directory, password, user, port);
            redis.keepOutput();
            LOG.info("redis started pid={} port={} lan={} data={}", process.pid(), port,
                    everyNetwork, data);
            return redis;
        } catch (IOException | RuntimeException e) {
            deleteDirectory(directory);
            throw e;
        }
    }

    /** Whether the child is still running. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** The child's last lines of output, oldest first. */
    List<String> lastLines() {
        synchronized (lastLines) {
            return new ArrayList<>(lastLines);
        }
    }

    /**
     * Whether this very child answers on 127.0.0.1 (with the password), and not some other
     * server that already held the port: it asks for the process id.
     */
    boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port),
                    CONNECT_MILLIS);
            socket.setSoTimeout(READ_MILLIS);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (password != null) {
                out.write(user != null ? command("AUTH", user, password)
                        : command("AUTH", password));
                if (!readLine(in).startsWith("+OK")) {
                    return false;
                }
            }
            out.write(command("INFO", "server"));
            return readBulk(in).contains("process_id:" + process.pid() + "\r\n");
        } catch (IOException | NumberFormatException e) {
            LOG.debug("redis not answering yet port={} reason={}", port, e.getMessage());
            return false;
        }
    }

    /** Once the server answered, the configuration file (which holds the password) goes. */
    void forgetConfig() {
        deleteDirectory(directory);
    }

    /** Stops the child (SIGTERM, then a kill if it lingers) and deletes its files. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("redis did not stop in time pid={}; killing it", process.pid());
                process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            deleteDirectory(directory);
        }
        LOG.info("redis stopped pid={}", process.pid());
    }

    private void keepOutput() {
        Thread reader = new Thread(this::readOutput, "redis-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                LOG.debug("redis output line={}", line);
                synchronized (lastLines) {
                    if (lastLines.size() == KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
            }
        } catch (IOException e) {
            LOG.debug("redis output closed reason={}", e.getMessage());
        }
    }

    /**
     * The password goes into a file only its owner can read, in a directory only its owner
     * can enter, rather than on the command line, where {@code ps} would show it to every
     * user of the computer.
     */
    private static Path writeConfig(Path directory, int port, boolean everyNetwork,
            String password, Path data) throws IOException {
        StringBuilder config = new StringBuilder()
                .append("port ").append(port).append('\n')
                .append(everyNetwork ? "bind 0.0.0.0\n" : "bind 127.0.0.1 -::1\n")
                .append("protected-mode yes\n")
                .append("save \"\"\n")
                .append("appendonly yes\n")
                .append("appendfsync everysec\n")
                .append("daemonize no\n")
                .append("logfile \"\"\n")
                .append("dir ").append(quoted(data.toString())).append('\n');
        if (password != null && everyNetwork) {
            config.append("user default off\n")
                    .append("user ").append(USER).append(" on >").append(password).append(' ')
                    .append(USER_RULES).append('\n');
        } else if (password != null) {
            config.append("requirepass ").append(quoted(password)).append('\n');
        }
        Path file = directory.resolve("redis.conf");
        if (isPosix()) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return file;
    }

    private static void makeDataFolder(Path data) throws IOException {
        if (Files.isDirectory(data)) {
            return;
        }
        if (isPosix()) {
            Files.createDirectories(data, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(data);
        }
    }

    private static Path privateDirectory() throws IOException {
        if (isPosix()) {
            return Files.createTempDirectory("cartero-redis-", PosixFilePermissions
                    .asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory("cartero-redis-");
    }

    private static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void deleteDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot delete redis files dir={} reason={}", directory, e.getMessage());
        }
    }

    private static byte[] command(String... parts) {
        StringBuilder resp = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            resp.append('$').append(bytes.length).append("\r\n").append(part).append("\r\n");
        }
        return resp.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8).strip();
    }

    private static String readBulk(InputStream in) throws IOException {
        String header = readLine(in);
        if (!header.startsWith("$")) {
            return "";
        }
        int length = Integer.parseInt(header.substring(1));
        return length < 0 ? "" : new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
