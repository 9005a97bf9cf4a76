package io.cartero.node;

import io.cartero.broker.RoomInfo;
import io.cartero.protocol.DirectRooms;
import io.cartero.protocol.Frame;
import io.cartero.protocol.FrameCodec;
import io.cartero.protocol.Picture;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker view: every {@value #EVERY_MS} ms while someone watches, puts together what this
 * node knows of its broker (its connections and what they produce and consume, the rooms and
 * queues with their figures from the broker, asked at most once a second, the traffic on
 * every edge and a sample of recent messages) and sends it as one {@code view} frame to every
 * watching connection, when it changed. The counters it reads are kept on the sending and
 * delivery paths without locks; everything else happens here, on the node's chores thread and
 * the broker's. Thread-safe.
 */
final class BrokerView {
    /** How often the picture is put together while someone watches. */
    static final long EVERY_MS = 250;
    /** Queues remembered after their last consumer or producer left. */
    static final int QUEUES_KEPT = 64;
    private static final Logger LOG = LoggerFactory.getLogger(BrokerView.class);
    private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often the broker is asked for its rooms and queue depths while someone watches. */
    private static final long BROKER_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String nodeId;
    private final BrokerGate broker;
    private final FrameCodec codec;
    private final Supplier<Collection<Connection>> connections;
    private final Journeys journeys = new Journeys();
    private final Set<Connection> watchers = ConcurrentHashMap.newKeySet();
    /** Set while a picture is being put together, so that ticks never pile up. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** Queues seen, newest last; guarded by itself. */
    private final Set<String> queues = new LinkedHashSet<>();
    /** The edges' totals at the last rate sample, and their rates; guarded by this. */
    private Map<String, Long> sampledTotals = new HashMap<>();
    private Map<String, Double> rates = new HashMap<>();
    private long sampledAt = System.nanoTime();
    /** The last round of questions to the broker; guarded by this. */
    private Asked asked;
    /** The broker's figures when it last answered, shown while it does not; guarded by this. */
    private List<RoomInfo> lastRooms;
    private final Map<String, Long> lastDepths = new HashMap<>();
    /** The last frame sent; {@code null} forces the next one out. */
    private volatile String lastSent;
    private volatile boolean cut;

    BrokerView(String nodeId, BrokerGate broker, FrameCodec codec,
            Supplier<Collection<Connection>> connections) {
        this.nodeId = nodeId;
        this.broker = broker;
        this.codec = codec;
        this.connections = connections;
    }

    /** Starts putting pictures together on {@code chores}. */
    void start(ScheduledExecutorService chores) {
        try {
            chores.scheduleAtFixedRate(this::tick, EVERY_MS, EVERY_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("broker view not started node={}", nodeId);
        }
    }

    /** The node's open connections. */
    Collection<Connection> connections() {
        return connections.get();
    }

    Journeys journeys() {
        return journeys;
    }

    /** {@code connection} gets the picture from the next tick on. */
    void watch(Connection connection) {
        watchers.add(connection);
        lastSent = null;
        LOG.debug("watching conn={} watchers={}", connection.id(), watchers.size());
    }

    /** {@code connection} gets no more pictures. */
    void unwatch(Connection connection) {
        watchers.remove(connection);
    }

    /** A queue was used through this node, so the view shows it. */
    void queueSeen(String queue) {
        synchronized (queues) {
            if (queues.remove(queue) || queues.size() < QUEUES_KEPT) {
                queues.add(queue);
                return;
            }
            queues.remove(queues.iterator().next());
            queues.add(queue);
        }
    }

    /** Whether the operator cut the node off the broker (shown on the node's box). */
    void cut(boolean isCut) {
        cut = isCut;
    }

    /** The picture now, whether or not anyone watches (for the statistics export). */
    CompletableFuture<Frame.View> snapshot() {
        return compose();
    }

    private void tick() {
        if (watchers.isEmpty() || !busy.compareAndSet(false, true)) {
            return;
        }
        try {
            compose().thenAccept(this::send).whenComplete((ignored, failure) -> {
                busy.set(false);
                if (failure != null) {
                    LOG.warn("broker view failed node={}", nodeId, failure);
                }
            });
        } catch (RuntimeException e) {
            busy.set(false);
            LOG.warn("broker view failed node={}", nodeId, e);
        }
    }

    /** Asks the broker for its figures (at most once a second), then draws the picture. */
    private CompletableFuture<Frame.View> compose() {
        List<Connection> open = List.copyOf(connections.get());
        List<String> known;
        synchronized (queues) {
            known = List.copyOf(queues);
        }
        Asked figures = ask(known);
        return CompletableFuture.allOf(figures.depths.values().toArray(CompletableFuture[]::new))
                .handle((ignored, failure) -> null)
                .thenCombine(figures.rooms.handle((list, failure) -> list),
                        (ignored, list) -> picture(open, list, figures.depths));
    }

    /**
     * The broker's figures: the ones asked for less than a second ago, or new ones; a queue
     * not asked about yet is asked about now.
     */
    private synchronized Asked ask(List<String> known) {
        long now = System.nanoTime();
        if (asked == null || now - asked.at >= BROKER_EVERY_NANOS) {
            asked = new Asked(now, call(() -> broker.rooms().list()), new TreeMap<>());
        }
        Map<String, CompletableFuture<Long>> depths = new TreeMap<>();
        for (String queue : known) {
            depths.put(queue, asked.depths.computeIfAbsent(queue,
                    key -> call(() -> broker.queues().depth(key))));
        }
        return new Asked(asked.at, asked.rooms, depths);
    }

    /** The broker's answers to one round of questions, and when it was asked. */
    private record Asked(long at, CompletableFuture<List<RoomInfo>> rooms,
            Map<String, CompletableFuture<Long>> depths) {
    }

    private static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> request) {
        try {
            return request.get().orTimeout(2, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void send(Frame.View view) {
        String text = codec.encode(view);
        if (text.equals(lastSent)) {
            return;
        }
        lastSent = text;
        watchers.forEach(watcher -> watcher.sendView(text));
    }

    /** Puts one picture together; one at a time, since it keeps rates and last figures. */
    private synchronized Frame.View picture(List<Connection> open, List<RoomInfo> roomInfos,
            Map<String, CompletableFuture<Long>> depths) {
        List<Picture.Client> clients = new ArrayList<>();
        Map<String, Long> totals = new TreeMap<>();
        open = new ArrayList<>(open);
        open.sort(Comparator.comparing(Connection::id, BrokerView::byNumber));
        Map<String, Set<String>> roomMembers = new TreeMap<>();
        Map<String, Set<String>> queueConsumers = new TreeMap<>();
        for (Connection connection : open) {
            Picture.Client client = client(connection, totals, roomMembers, queueConsumers);
            if (client != null) {
                clients.add(client);
            }
        }
        List<Picture.Edge> edges = edges(totals);
        boolean reachable = roomInfos != null;
        if (reachable) {
            lastRooms = roomInfos;
        }
        return new Frame.View(null,
                List.of(new Picture.NodeBox(nodeId, true, open.size(), cut, broker.waiting())),
                new Picture.BrokerBox(kind(broker.describe()), address(broker.describe()),
                        reachable && !cut),
                clients, rooms(reachable ? roomInfos : lastRooms, roomMembers),
                queues(depths, queueConsumers), edges,
                recent(open), watchers.size());
    }

    private Picture.Client client(Connection connection, Map<String, Long> totals,
            Map<String, Set<String>> roomMembers, Map<String, Set<String>> queueConsumers) {
        String conn = "conn:" + connection.id();
        Map<String, Long> produced = connection.activity().produced();
        Map<String, Long> consumed = connection.activity().consumed();
        Map<String, RoomFeed> feeds = connection.feeds();
        List<String> rooms = new ArrayList<>();
        feeds.forEach((room, feed) -> {
            if (!DirectRooms.isReserved(room)) {
                rooms.add(room);
                roomMembers.computeIfAbsent(room, key -> new TreeSet<>()).add(connection.id());
                totals.put("room:" + room + ">" + conn, feed.log().count());
            }
        });
        produced.forEach((target, total) -> {
            if (!target.startsWith("room:dm.")) {
                totals.put(conn + ">" + target, total);
            }
        });
        consumed.forEach((queue, total) -> {
            queueConsumers.computeIfAbsent(queue, key -> new TreeSet<>()).add(connection.id());
            totals.put("queue:" + queue + ">" + conn, total);
        });
        List<String> roles = new ArrayList<>();
        if (!produced.isEmpty()) {
            roles.add("producer");
        }
        if (!rooms.isEmpty() || !consumed.isEmpty()) {
            roles.add("consumer");
        }
        if (roles.isEmpty()) {
            return null;
        }
        rooms.sort(null);
        return new Picture.Client(connection.id(), connection.name(), roles, rooms,
                List.copyOf(consumed.keySet()), connection.paused());
    }

    private List<Picture.Edge> edges(Map<String, Long> totals) {
        long now = System.nanoTime();
        if (now - sampledAt >= RATE_WINDOW_NANOS) {
            double seconds = (now - sampledAt) / 1e9;
            Map<String, Double> fresh = new HashMap<>();
            totals.forEach((edge, total) -> {
                long before = sampledTotals.getOrDefault(edge, total);
                fresh.put(edge, Math.round((total - before) / seconds * 10) / 10.0);
            });
            rates = fresh;
            sampledTotals = new HashMap<>(totals);
            sampledAt = now;
        }
        List<Picture.Edge> edges = new ArrayList<>();
        totals.forEach((edge, total) -> {
            int arrow = edge.indexOf('>');
            edges.add(new Picture.Edge(edge.substring(0, arrow), edge.substring(arrow + 1), total,
                    rates.getOrDefault(edge, 0.0)));
        });
        return edges;
    }

    private static List<Picture.RoomBox> rooms(List<RoomInfo> infos,
            Map<String, Set<String>> members) {
        Map<String, Picture.RoomBox> boxes = new TreeMap<>();
        if (infos != null) {
            for (RoomInfo info : infos) {
                if (!DirectRooms.isReserved(info.name())) {
                    boxes.put(info.name(), new Picture.RoomBox(info.name(), info.epoch(),
                            info.lastOffset(), info.members(),
                            List.copyOf(members.getOrDefault(info.name(), Set.of()))));
                }
            }
        }
        members.forEach((room, conns) -> boxes.computeIfAbsent(room,
                key -> new Picture.RoomBox(room, null, 0, 0, List.copyOf(conns))));
        return List.copyOf(boxes.values());
    }

    /** The queues with their depths; one the broker did not answer for keeps its last one. */
    private List<Picture.QueueBox> queues(Map<String, CompletableFuture<Long>> depths,
            Map<String, Set<String>> consumers) {
        Map<String, Picture.QueueBox> boxes = new TreeMap<>();
        depths.forEach((queue, depth) -> {
            if (!depth.isCompletedExceptionally()) {
                lastDepths.put(queue, depth.join());
            }
            boxes.put(queue, new Picture.QueueBox(queue, lastDepths.getOrDefault(queue, -1L),
                    List.copyOf(consumers.getOrDefault(queue, Set.of()))));
        });
        lastDepths.keySet().retainAll(depths.keySet());
        consumers.forEach((queue, conns) -> boxes.computeIfAbsent(queue,
                key -> new Picture.QueueBox(queue, -1, List.copyOf(conns))));
        return List.copyOf(boxes.values());
    }

    /**
     * The newest message of each room this node saw go by: the last one one of its clients
     * sent, or the last one it delivered, whichever is newer.
     */
    private List<Picture.Flow> recent(List<Connection> open) {
        Map<String, Picture.Flow> flows = new TreeMap<>();
        for (Journeys.Trip trip : journeys.latest()) {
            if (!DirectRooms.isReserved(trip.message().room())) {
                flows.put(trip.message().room(), new Picture.Flow(trip.message().room(),
                        trip.message().epoch(), trip.message().offset(),
                        trip.message().sender(), "conn:" + trip.conn(),
                        trip.message().sentAt()));
            }
        }
        for (Connection connection : open) {
            connection.feeds().forEach((room, feed) -> {
                DeliveryLog.Entry entry = feed.log().latest();
                Picture.Flow known = flows.get(room);
                if (entry != null && !DirectRooms.isReserved(room)
                        && (known == null || newer(entry, known))) {
                    flows.put(room, new Picture.Flow(room, entry.epoch(), entry.offset(), null,
                            null, entry.sentAt()));
                }
            });
        }
        return List.copyOf(flows.values());
    }

    private static boolean newer(DeliveryLog.Entry entry, Picture.Flow known) {
        return entry.epoch().equals(known.epoch()) ? entry.offset() > known.offset()
                : entry.sentAt() > known.at();
    }

    /** Connection ids ({@code c2}, {@code c10}) in the order the connections opened. */
    private static int byNumber(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length())
                : a.compareTo(b);
    }

    /** The kind of broker a {@link io.cartero.broker.Broker#describe} names. */
    static String kind(String describe) {
        if (describe.startsWith("embedded")) {
            return "embedded";
        }
        if (describe.startsWith("redis")) {
            return "redis";
        }
        return describe.startsWith("memory") ? "memory" : "other";
    }

    /** Where the broker is, without user or password. */
    static String address(String describe) {
        if (describe.startsWith("embedded:")) {
            return describe.substring("embedded:".length());
        }
        int scheme = describe.indexOf("://");
        int at = describe.indexOf('@');
        if (scheme > 0 && at > scheme) {
            return describe.substring(0, scheme + 3) + describe.substring(at + 1);
        }
        return describe;
    }
}
