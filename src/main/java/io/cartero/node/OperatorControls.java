package io.cartero.node;

import io.cartero.broker.BrokerException;
import io.cartero.message.ErrorCode;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classroom controls of a node, for its {@link Operator} only: pause and resume a
 * consumer's queue deliveries, add simulated producers and consumers (real WebSocket clients
 * of this node, so the view shows them as any other) and remove them, cut the node off its
 * broker and bring it back, restart the embedded broker. Every request must carry the
 * operator's token; without it, it is refused with {@code operator_required}. Thread-safe.
 */
final class OperatorControls {
    /** The most simulated clients at once. */
    static final int MAX_SIMULATED = 20;
    /** The fastest a simulated producer sends, in messages per second. */
    static final double MAX_RATE = 200;
    private static final Logger LOG = LoggerFactory.getLogger(OperatorControls.class);
    /** Runs broker restarts, which block on the disk, off the connection's thread. */
    private static final Executor RESTARTS = runnable -> {
        Thread thread = new Thread(runnable, "cartero-broker-restart");
        thread.setDaemon(true);
        thread.start();
    };

    private final String nodeId;
    private final Operator operator;
    private final BrokerGate gate;
    private final NameGate names;
    private final BrokerView view;
    private final ScheduledExecutorService chores;
    /** The node's own WebSocket address, for the simulated clients. */
    private final Supplier<URI> self;
    /** How the simulated clients connect: trusting the node's own certificate under TLS. */
    private final HttpClient http;
    private final List<SimulatedClient> simulated = new CopyOnWriteArrayList<>();
    private final AtomicInteger simulatedCount = new AtomicInteger();

    OperatorControls(String nodeId, Operator operator, BrokerGate gate, NameGate names,
            BrokerView view, ScheduledExecutorService chores, Supplier<URI> self,
            HttpClient http) {
        this.nodeId = nodeId;
        this.operator = operator;
        this.gate = gate;
        this.names = names;
        this.view = view;
        this.chores = chores;
        this.self = self;
        this.http = http;
    }

    /** Carries out an operator request from {@code conn}, or refuses it. */
    CompletableFuture<Frame.Operated> operate(Frame.Operate request, String conn) {
        requireOperator(request, conn);
        if ("restart_broker".equals(request.action())) {
            return restart(request);
        }
        return CompletableFuture.completedFuture(act(request, conn));
    }

    private void requireOperator(Frame.Operate request, String conn) {
        if (!operator.accepts(request.token())) {
            LOG.warn("operator request refused conn={} action={}", conn, request.action());
            throw new ValidationException(ErrorCode.OPERATOR_REQUIRED,
                    "this control needs the operator token that cartero server printed");
        }
    }

    private Frame.Operated act(Frame.Operate request, String conn) {
        String action = request.action();
        LOG.info("operator action node={} conn={} action={} name={}", nodeId, conn, action,
                request.name());
        return switch (action) {
            case "pause" -> paused(request, true);
            case "resume" -> paused(request, false);
            case "cut" -> cut(request, true);
            case "restore" -> cut(request, false);
            case "simulate" -> simulate(request);
            case "unsimulate" -> unsimulate(request);
            default -> throw invalid("unknown operator action \"" + action + "\"; one of "
                    + "pause, resume, cut, restore, simulate, unsimulate, restart_broker");
        };
    }

    /** Closes the simulated clients; the node is stopping. */
    void close() {
        simulated.forEach(SimulatedClient::close);
        simulated.clear();
    }

    private Frame.Operated paused(Frame.Operate request, boolean pause) {
        String name = Names.requireUser(required(request.name(), "name"));
        int found = 0;
        for (Connection connection : view.connections()) {
            if (name.equals(connection.name())) {
                connection.activity().pause(pause);
                found++;
            }
        }
        if (found == 0) {
            throw invalid("nobody named " + name + " is connected to this node");
        }
        return new Frame.Operated(request.id(), request.action(), name, found + " connection(s)");
    }

    private Frame.Operated cut(Frame.Operate request, boolean isCut) {
        boolean changed = gate.cut(isCut);
        view.cut(isCut);
        LOG.warn("node {} broker node={} changed={}", isCut ? "cut off from" : "back on", nodeId,
                changed);
        return new Frame.Operated(request.id(), request.action(), null,
                changed ? "done" : "already " + (isCut ? "cut" : "restored"));
    }

    private Frame.Operated simulate(Frame.Operate request) {
        String role = required(request.role(), "role");
        if (!role.equals("producer") && !role.equals("consumer")) {
            throw invalid("role must be producer or consumer: " + role);
        }
        if ((request.room() == null) == (request.queue() == null)) {
            throw invalid("simulate takes either \"room\" or \"queue\"");
        }
        String target = Names.requireRoom(request.room() != null ? request.room()
                : request.queue());
        int count = request.count() == null ? 1 : request.count();
        if (count < 1 || simulated.size() + count > MAX_SIMULATED) {
            throw invalid("at most " + MAX_SIMULATED + " simulated clients at once; "
                    + simulated.size() + " run now");
        }
        double rate = request.rate() == null ? 1 : request.rate();
        if (role.equals("producer") && (rate <= 0 || rate > MAX_RATE)) {
            throw invalid("rate must be above 0 and at most " + MAX_RATE + ": " + rate);
        }
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String name = String.format(Locale.ROOT, "sim-%s-%d", role.substring(0, 4),
                    simulatedCount.incrementAndGet());
            simulated.add(SimulatedClient.start(http, self.get(), name, role,
                    request.room() != null, target, rate, chores));
            names.append(i == 0 ? "" : " ").append(name);
        }
        return new Frame.Operated(request.id(), request.action(), names.toString(),
                count + " " + role + "(s) on " + (request.room() != null ? "room " : "queue ")
                        + target);
    }

    /**
     * Restarts the broker, away from the calling thread: cuts the node off, has the broker
     * closed and opened again, points the node at the new one and restores. Closing the old
     * broker ends its room subscriptions, so the node closes those connections with 1011 and
     * their clients reconnect and resume, as after any broker restart.
     */
    private CompletableFuture<Frame.Operated> restart(Frame.Operate request) {
        BrokerRestart restart = operator.restart();
        if (restart == null) {
            throw invalid("this node's broker cannot be restarted from here: only the embedded"
                    + " broker of cartero server can");
        }
        return CompletableFuture.supplyAsync(() -> {
            long started = System.nanoTime();
            gate.cut(true);
            view.cut(true);
            try {
                BrokerRestart.Restarted fresh = restart.restart();
                gate.swap(fresh.broker());
                names.swap(fresh.names());
            } catch (RuntimeException e) {
                LOG.warn("broker restart failed node={}; the node stays cut off", nodeId, e);
                throw new BrokerException("the broker could not be opened again: "
                        + e.getMessage(), e);
            }
            gate.cut(false);
            view.cut(false);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            LOG.info("broker restarted node={} broker={} ms={}", nodeId, gate.describe(),
                    millis);
            return new Frame.Operated(request.id(), request.action(), null,
                    "restarted in " + millis + " ms");
        }, RESTARTS);
    }

    private Frame.Operated unsimulate(Frame.Operate request) {
        int count = simulated.size();
        close();
        return new Frame.Operated(request.id(), request.action(), null, count + " removed");
    }

    private static String required(String value, String field) {
        if (value == null) {
            throw new ValidationException(ErrorCode.MISSING_FIELD,
                    "this operator action needs \"" + field + "\"");
        }
        return value;
    }

    private static ValidationException invalid(String message) {
        return new ValidationException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
