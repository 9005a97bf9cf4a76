package io.cartero.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Real listening sockets on 127.0.0.1 that stand for what {@code cartero doctor} must tell
 * apart: a program that accepts and says nothing, a TLS server with a self-signed certificate
 * made by the JDK's keytool, and a forwarder whose connections come from 127.0.0.2. Each runs
 * until closed; every thread is a daemon.
 */
final class TestSockets implements AutoCloseable {
    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "test-sockets");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private TestSockets(ServerSocket listener) {
        this.listener = listener;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Accepts every connection and never sends or reads a byte. */
    static TestSockets silent() throws IOException {
        TestSockets server = new TestSockets(new ServerSocket(0, 50, loopback()));
        server.acceptEach(socket -> {
        });
        return server;
    }

    /**
     * Speaks TLS with a self-signed certificate for 127.0.0.1 (which nobody trusts), then
     * reads and drops whatever comes until the client closes.
     */
    static TestSockets selfSignedTls(Path dir) throws Exception {
        SSLContext context = selfSignedContext(dir);
        SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, loopback());
        TestSockets server = new TestSockets(listener);
        server.acceptEach(socket -> {
            ((SSLSocket) socket).startHandshake();
            drain(socket.getInputStream());
        });
        return server;
    }

    /**
     * Forwards each connection to {@code targetPort} of 127.0.0.1 from the address 127.0.0.2,
     * so that the target sees a client that is not 127.0.0.1.
     */
    static TestSockets fromOtherAddress(int targetPort) throws IOException {
        TestSockets proxy = new TestSockets(new ServerSocket(0, 50, loopback()));
        proxy.acceptEach(client -> {
            Socket target = new Socket();
            proxy.open.add(target);
            target.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            target.connect(new InetSocketAddress(loopback(), targetPort), 5000);
            proxy.threads.execute(() -> pump(target, client));
            pump(client, target);
        });
        return proxy;
    }

    /** A listener whose accept queue is full: further connections get no answer at all. */
    static ServerSocket withFullBacklog(List<Socket> held) throws IOException {
        ServerSocket full = new ServerSocket(0, 1, loopback());
        for (int i = 0; i < 2; i++) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(loopback(), full.getLocalPort()), 5000);
            held.add(socket);
        }
        return full;
    }

    private interface Handler {
        void handle(Socket socket) throws Exception;
    }

    private void acceptEach(Handler handler) {
        threads.execute(() -> {
            while (!listener.isClosed()) {
                Socket socket;
                try {
                    socket = listener.accept();
                } catch (IOException e) {
                    return;
                }
                open.add(socket);
                threads.execute(() -> {
                    try {
                        handler.handle(socket);
                    } catch (Exception e) {
                        shut(socket);
                    }
                });
            }
        });
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            shut(from);
        } finally {
            shut(to);
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[1024];
        while (in.read(buffer) >= 0) {
            continue;
        }
    }

    private static SSLContext selfSignedContext(Path dir) throws Exception {
        Path store = dir.resolve("self-signed.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias",
                "test", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0
                || !Files.exists(store)) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(
                KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        return context;
    }

    private static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    private static void shut(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
        threads.shutdownNow();
    }
}
