package io.cartero.node;

import io.cartero.message.Message;
import io.cartero.protocol.DirectRooms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The messages this node's clients sent, kept per room for their journey (direct
 * conversations are not kept: their journeys are never shown): the newest
 * {@value #PER_ROOM} of each room, in at most {@value #ROOMS} rooms (a room beyond that is not
 * recorded). One record per message sent, on the sending path; nothing on the delivery path.
 * Thread-safe.
 */
final class Journeys {
    /** Messages kept per room. */
    static final int PER_ROOM = 200;
    /** Rooms kept. */
    static final int ROOMS = 1_000;

    private final Map<String, Ring> rooms = new ConcurrentHashMap<>();

    /**
     * Records a message a client sent.
     *
     * @param clientTime when the client says it sent it, or {@code null}
     * @param accepted when the node took the request, ms since 1970
     */
    void sent(Message message, String conn, Long clientTime, long accepted) {
        if (DirectRooms.isReserved(message.room())) {
            return;
        }
        Ring ring = rooms.get(message.room());
        if (ring == null) {
            if (rooms.size() >= ROOMS) {
                return;
            }
            ring = rooms.computeIfAbsent(message.room(), room -> new Ring());
        }
        ring.add(new Trip(message, conn, clientTime, accepted));
    }

    /** The recorded message at {@code offset} (of {@code epoch} unless {@code null}). */
    Trip find(String room, String epoch, long offset) {
        Ring ring = rooms.get(room);
        return ring == null ? null : ring.find(epoch, offset);
    }

    /** The newest message recorded in each room. */
    List<Trip> latest() {
        List<Trip> latest = new ArrayList<>();
        rooms.values().forEach(ring -> {
            Trip trip = ring.latest();
            if (trip != null) {
                latest.add(trip);
            }
        });
        return latest;
    }

    /**
     * A message a client of this node sent.
     *
     * @param clientTime the client's own time of sending, {@code null} when it did not say
     * @param accepted when the node took the request (its clock)
     */
    record Trip(Message message, String conn, Long clientTime, long accepted) {
    }

    /** The newest trips of one room; guarded by itself. */
    private static final class Ring {
        private final Trip[] trips = new Trip[PER_ROOM];
        private int next;
        private long count;

        synchronized void add(Trip trip) {
            trips[next] = trip;
            next = (next + 1) % PER_ROOM;
            count++;
        }

        synchronized Trip find(String epoch, long offset) {
            for (int i = 0; i < Math.min(count, PER_ROOM); i++) {
                Trip trip = trips[Math.floorMod(next - 1 - i, PER_ROOM)];
                if (trip.message().offset() == offset
                        && (epoch == null || epoch.equals(trip.message().epoch()))) {
                    return trip;
                }
            }
            return null;
        }

        synchronized Trip latest() {
            return count == 0 ? null : trips[Math.floorMod(next - 1, PER_ROOM)];
        }
    }
}
