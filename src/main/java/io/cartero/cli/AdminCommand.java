package io.cartero.cli;

import io.cartero.client.ServerTrust;
import io.cartero.protocol.Frame;
import io.cartero.protocol.FrameCodec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cartero admin}: the operator's classroom controls from a terminal, so that a teacher
 * can script them. It speaks the node's protocol: an anonymous {@code hello}, then one
 * {@code operate} frame with the operator token that {@code cartero server} printed.
 */
@Command(name = "admin", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false)
final class AdminCommand implements Callable<Integer> {
    static final List<String> ACTIONS = List.of("pause", "resume", "cut", "restore",
            "simulate", "unsimulate", "restart-broker");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CliContext context;
    private final Texts texts;

    @Option(names = {"-s", "--server"}, paramLabel = "URL",
            defaultValue = ServerOption.DEFAULT_SERVER, descriptionKey = "server")
    private String server;

    @Option(names = {"-t", "--operator-token"}, paramLabel = "TOKEN",
            descriptionKey = "admin_token")
    private String token;

    @Option(names = "--token", paramLabel = "TOKEN", descriptionKey = "cartero.option.token")
    private String accessToken;

    @Option(names = "--password", paramLabel = "${bundle:label.password:-PASSWORD}",
            descriptionKey = "cartero.option.password")
    private String password;

    @Option(names = "--ca", paramLabel = "${bundle:label.file:-FILE}",
            descriptionKey = "cartero.option.ca")
    private Path ca;

    @Option(names = "--insecure", descriptionKey = "cartero.option.insecure")
    private boolean insecure;

    @Parameters(index = "0", paramLabel = "ACTION", descriptionKey = "admin_action")
    private String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME|ROLE",
            descriptionKey = "admin_name")
    private String name;

    @Option(names = "--room", paramLabel = "ROOM", descriptionKey = "admin_room")
    private String room;

    @Option(names = "--queue", paramLabel = "QUEUE", descriptionKey = "admin_queue")
    private String queue;

    @Option(names = "--rate", paramLabel = "N", descriptionKey = "admin_rate")
    private Double rate;

    @Option(names = "--count", paramLabel = "N", descriptionKey = "admin_count")
    private Integer count;

    AdminCommand(CliContext context) {
        this.context = context;
        this.texts = context.texts();
    }

    @Override
    public Integer call() throws InterruptedException {
        if (token == null) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.admin_token");
        }
        if (!ACTIONS.contains(action)) {
            throw new CommandException(ExitCodes.USAGE, "error.usage.admin_action", action,
                    String.join(", ", ACTIONS));
        }
        boolean simulate = action.equals("simulate");
        String wire = action.replace('-', '_');
        Frame.Operate request = new Frame.Operate(2L, token, wire, simulate ? null : name,
                simulate ? name : null, room, queue, rate, count);
        URI url = webSocketUrl(BrokerUrls.nodeUri(server), accessSecret());
        ServerTrust trust = ServerOption.trust(context, ca, insecure);
        Frame reply = exchange(url, trust, request);
        if (reply instanceof Frame.Error error) {
            String key = "error." + error.code();
            String text = error.code().equals("operator_required") ? texts.get(key)
                    : error.code().equals("unauthorized") ? texts.get("error.admin_access")
                    : texts.get("admin.refused", error.message());
            context.err().println(text);
            return ExitCodes.REFUSED;
        }
        Frame.Operated done = (Frame.Operated) reply;
        context.out().println(texts.get("admin.done", done.action(),
                done.name() == null ? "" : done.name(), done.detail()));
        return ExitCodes.OK;
    }

    /** Says hello, sends {@code request} and returns its answer. */
    private Frame exchange(URI url, ServerTrust trust, Frame request)
            throws InterruptedException {
        FrameCodec codec = new FrameCodec();
        Replies replies = new Replies(codec);
        WebSocket socket;
        try {
            socket = trust.httpClient().newWebSocketBuilder()
                    .connectTimeout(TIMEOUT).buildAsync(url, replies)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new CommandException(ExitCodes.UNREACHABLE, e, "error.unreachable",
                    server, String.valueOf(e.getCause() == null ? e : e.getCause()));
        }
        try {
            socket.sendText(codec.encode(new Frame.Hello(1L, null, Frame.VERSION)), true);
            Frame welcome = replies.await(1L);
            if (welcome instanceof Frame.Error) {
                return welcome;
            }
            socket.sendText(codec.encode(request), true);
            return replies.await(2L);
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    /** The node's password or access token: --token, --password, or ?token= in --server. */
    private String accessSecret() {
        if (accessToken != null) {
            return accessToken;
        }
        return password != null ? password : BrokerUrls.tokenOf(server);
    }

    private static URI webSocketUrl(URI node, String secret) {
        String path = node.getRawPath() == null ? "" : node.getRawPath();
        path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String query = secret == null ? ""
                : "?token=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return URI.create(node.getScheme() + "://" + node.getRawAuthority()
                + (path.endsWith("/ws") ? path : path + "/ws") + query);
    }

    /** The frames that answer requests, as they come. */
    private final class Replies implements WebSocket.Listener {
        private final FrameCodec codec;
        private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        Replies(FrameCodec codec) {
            this.codec = codec;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(codec.decode(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        Frame await(long id) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                Frame frame = frames.poll(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                if (frame == null) {
                    throw new CommandException(ExitCodes.UNREACHABLE, "error.timeout");
                }
                if (frame.id() != null && frame.id() == id
                        || frame instanceof Frame.Error && frame.id() == null) {
                    return frame;
                }
            }
        }
    }
}
