package io.cartero.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The addresses at which other computers on the network may reach this one. */
final class LanAddresses {
    private static final Logger LOG = LoggerFactory.getLogger(LanAddresses.class);

    private LanAddresses() {
    }

    /**
     * The IPv4 addresses of the network interfaces that are up, without loopback and
     * link-local ones; private ones (192.168.x.x, 10.x.x.x...) first. Empty if the system
     * will not tell.
     */
    static List<InetAddress> ipv4() {
        List<InetAddress> found = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    Collections.list(nic.getInetAddresses()).stream()
                            .filter(LanAddresses::isReachableIpv4)
                            .forEach(found::add);
                }
            }
        } catch (SocketException e) {
            LOG.warn("cannot list network interfaces reason={}", e.getMessage());
        }
        found.sort(Comparator.comparing((InetAddress a) -> !a.isSiteLocalAddress())
                .thenComparing(InetAddress::getHostAddress));
        return found;
    }

    private static boolean isReachableIpv4(InetAddress address) {
        return address instanceof Inet4Address && !address.isLoopbackAddress()
                && !address.isLinkLocalAddress();
    }
}
