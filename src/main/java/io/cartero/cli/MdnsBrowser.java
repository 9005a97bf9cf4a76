package io.cartero.cli;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks for Cartero servers announced on the network ({@link MdnsAnnouncement}): asks on every
 * given interface at once, for a fixed time, and returns each node once, preferring the address
 * on this computer's loopback interface when a node is seen there too.
 */
final class MdnsBrowser {
    private static final Logger LOG = LoggerFactory.getLogger(MdnsBrowser.class);

    private MdnsBrowser() {
    }

    /** The servers announced on {@code addresses}' interfaces within {@code wait}. */
    static List<FoundServer> browse(List<InetAddress> addresses, Duration wait) {
        List<CompletableFuture<List<FoundServer>>> asks = new ArrayList<>();
        for (InetAddress address : addresses) {
            CompletableFuture<List<FoundServer>> ask = new CompletableFuture<>();
            Thread thread = new Thread(() -> ask.complete(browseOn(address, wait)),
                    "cartero-mdns-browse");
            thread.setDaemon(true);
            thread.start();
            asks.add(ask);
        }

        Map<String, FoundServer> byNode = new LinkedHashMap<>();
        asks.stream().flatMap(ask -> ask.join().stream()).sorted(FoundServer.ORDER)
                .forEach(found -> byNode.putIfAbsent(found.node(), found));
        return List.copyOf(byNode.values());
    }

    private static List<FoundServer> browseOn(InetAddress address, Duration wait) {
        List<FoundServer> found = new ArrayList<>();
        JmDNS browser;
        try {
            browser = JmDNS.create(address, "cartero-" + UUID.randomUUID().toString()
                    .substring(0, 8));
        } catch (IOException e) {
            LOG.debug("cannot look on the network address={} error={}",
                    address.getHostAddress(), e.toString());
            return found;
        }
        try {
            for (ServiceInfo info : browser.list(MdnsAnnouncement.SERVICE_TYPE,
                    wait.toMillis())) {
                FoundServer server = toServer(info, address.isLoopbackAddress());
                if (server != null) {
                    found.add(server);
                }
            }
        } finally {
            closeInBackground(browser);
        }
        LOG.debug("looked on the network address={} found={}", address.getHostAddress(),
                found.size());
        return found;
    }

    private static FoundServer toServer(ServiceInfo info, boolean local) {
        Inet4Address[] addresses = info.getInet4Addresses();
        String node = info.getPropertyString("node");
        if (addresses.length == 0 || node == null || node.isBlank() || info.getPort() <= 0) {
            LOG.debug("incomplete announcement ignored name={}", info.getName());
            return null;
        }
        String broker = info.getPropertyString("broker");
        String scheme = "wss".equals(info.getPropertyString("scheme")) ? "wss" : "ws";
        String url = scheme + "://" + addresses[0].getHostAddress() + ":" + info.getPort();
        return new FoundServer(node, url, broker == null ? "" : broker, local);
    }

    /** Closing a responder takes seconds (it waits for its timers); nobody needs to wait. */
    private static void closeInBackground(JmDNS browser) {
        Thread thread = new Thread(() -> MdnsAnnouncement.closeQuietly(browser),
                "cartero-mdns-close");
        thread.setDaemon(true);
        thread.start();
    }
}
