package io.cartero.node;

import io.cartero.message.ErrorCode;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import io.cartero.protocol.DirectRooms;
import io.cartero.protocol.Frame;
import io.cartero.protocol.Picture;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One connection's broker view requests: {@code watch}, {@code unwatch}, {@code journey} and
 * {@code compare}.
 * Any session that said hello may watch: the view follows the node's access rules. Direct
 * conversations never show in it, and their journeys are refused with {@code forbidden}.
 */
final class ViewRequests {
    private final Connection connection;
    private final NodeContext node;
    private final Replies replies;

    ViewRequests(Connection connection, NodeContext node, Replies replies) {
        this.connection = connection;
        this.node = node;
        this.replies = replies;
    }

    void route(Frame frame) {
        if (frame instanceof Frame.Watch watch) {
            replies.answer(watch.id(), CompletableFuture.completedFuture(new Frame.Watching(
                    watch.id(), node.nodeId(), (int) (1000 / BrokerView.EVERY_MS))),
                    () -> node.view().watch(connection));
        } else if (frame instanceof Frame.Unwatch unwatch) {
            node.view().unwatch(connection);
            replies.answer(unwatch.id(), CompletableFuture.completedFuture(
                    new Frame.Ok(unwatch.id())));
        } else if (frame instanceof Frame.Journey journey) {
            replies.answer(journey.id(), CompletableFuture.completedFuture(report(journey)));
        } else if (frame instanceof Frame.Compare compare) {
            int count = compare.count();
            if (count < 1 || count > SideBySide.MAX_COUNT) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                        "count must be between 1 and " + SideBySide.MAX_COUNT + ": " + count);
            }
            replies.answer(compare.id(), new SideBySide(node.broker()).run(compare.id(), count));
        } else if (frame instanceof Frame.Operate operate) {
            replies.answer(operate.id(), node.controls().operate(operate, connection.id()));
        }
    }

    private Frame.JourneyReport report(Frame.Journey request) {
        String room = Names.requireRoom(request.room());
        if (DirectRooms.isReserved(room)) {
            throw new ValidationException(ErrorCode.FORBIDDEN,
                    "the journeys of direct conversations are not shown");
        }
        long offset = request.offset();
        if (offset < 1) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "offset must be 1 or more: " + offset);
        }
        Journeys.Trip trip = node.view().journeys().find(room, request.epoch(), offset);
        String epoch = trip != null ? trip.message().epoch() : request.epoch();
        List<Picture.Hop> deliveries = new ArrayList<>();
        Long storedAt = trip == null ? null : trip.message().sentAt();
        for (Connection other : node.view().connections()) {
            RoomFeed feed = other.feeds().get(room);
            DeliveryLog.Entry entry = feed == null ? null : feed.log().find(epoch, offset);
            if (entry != null) {
                epoch = entry.epoch();
                storedAt = storedAt == null ? entry.sentAt() : storedAt;
                deliveries.add(new Picture.Hop("delivered", entry.deliveredAt(), "node",
                        other.id(), other.name(), null));
            }
        }
        deliveries.sort(Comparator.comparing(Picture.Hop::at));

        List<Picture.Hop> hops = new ArrayList<>();
        if (trip != null) {
            hops.add(new Picture.Hop("client_sent", trip.clientTime(), "client", trip.conn(),
                    trip.message().sender(), null));
            hops.add(new Picture.Hop("node_accepted", trip.accepted(), "node", trip.conn(),
                    trip.message().sender(), node.nodeId()));
        }
        if (storedAt != null) {
            hops.add(new Picture.Hop("broker_stored", storedAt, "broker", null, null,
                    command(BrokerView.kind(node.broker().describe()))));
        }
        hops.addAll(deliveries);
        return new Frame.JourneyReport(request.id(), room, offset, epoch,
                trip == null ? null : trip.message().sender(), hops);
    }

    /** What the broker does to store a room message, as its code names it. */
    static String command(String kind) {
        return switch (kind) {
            case "redis" -> "EVALSHA publish.lua (HINCRBY, XADD MAXLEN, PUBLISH notify)";
            case "embedded" -> "MemoryBroker append + DiskJournal write (segment record)";
            case "memory" -> "MemoryBroker append (ring in memory)";
            default -> "publish";
        };
    }
}
