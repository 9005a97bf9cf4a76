package io.cartero.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server announced on the network with DNS-SD over multicast DNS (JmDNS): the service type
 * {@value #SERVICE_TYPE}, its port, and text fields that say which node it is. One responder
 * per address, since a multicast DNS responder answers on one interface. Closing says goodbye,
 * so that browsers forget it.
 */
final class MdnsAnnouncement implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MdnsAnnouncement.class);
    /** The DNS-SD service type of a Cartero node. */
    static final String SERVICE_TYPE = "_cartero._tcp.local.";
    /**
     * How long closing waits before it lets the process end: enough for the first of the
     * goodbyes, which go out at once; a responder then repeats them for seconds.
     */
    private static final Duration CLOSE_WAIT = Duration.ofMillis(250);

    private final List<JmDNS> responders;
    private final List<InetAddress> addresses;

    private MdnsAnnouncement(List<JmDNS> responders, List<InetAddress> addresses) {
        this.responders = responders;
        this.addresses = addresses;
    }

    /**
     * Announces the node {@code node} listening on {@code port} on each of {@code addresses};
     * an address on which multicast DNS cannot start is logged and left out.
     *
     * @param fields the text fields: {@code node}, {@code version}, {@code path},
     *     {@code broker}
     */
    static MdnsAnnouncement start(List<InetAddress> addresses, String node, int port,
            Map<String, String> fields) {
        List<JmDNS> responders = new ArrayList<>();
        List<InetAddress> announced = new ArrayList<>();
        for (InetAddress address : addresses) {
            String where = address.getHostAddress();
            try {
                JmDNS responder = JmDNS.create(address, hostName(node, where));
                responder.registerService(ServiceInfo.create(SERVICE_TYPE,
                        "Cartero " + node + " " + where, port, 0, 0, fields));
                responders.add(responder);
                announced.add(address);
                LOG.info("announced on the network address={} port={} node={}", where, port,
                        node);
            } catch (IOException e) {
                LOG.warn("cannot announce on the network address={} error={}", where,
                        e.toString());
            }
        }
        return new MdnsAnnouncement(responders, List.copyOf(announced));
    }

    /** The addresses of the interfaces on which the node is announced. */
    List<InetAddress> addresses() {
        return addresses;
    }

    /**
     * Withdraws the announcement: the responders send their goodbyes and close on a thread of
     * their own, and this waits at most {@link #CLOSE_WAIT} for them.
     */
    @Override
    public void close() {
        if (responders.isEmpty()) {
            return;
        }
        Thread closing = new Thread(() -> responders.forEach(MdnsAnnouncement::closeQuietly),
                "cartero-mdns-close");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(JmDNS responder) {
        try {
            responder.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("multicast dns close failed error={}", e.toString());
        }
    }

    /** A host name for the responder: letters, digits and dashes, unique per address. */
    private static String hostName(String node, String address) {
        String name = "cartero-" + node + "-" + address;
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }
}
