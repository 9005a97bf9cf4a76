package io.cartero.cli;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where servers are announced and looked for on the network (DNS-SD over multicast DNS), as
 * {@code CARTERO_DISCOVERY} says: {@code on} (the default: this computer and its networks),
 * {@code local} (this computer only) or {@code off}.
 */
enum DiscoveryMode {
    /** This computer and every network it is on. */
    ON,
    /** This computer only: multicast DNS on the loopback interface. */
    LOCAL,
    /** No announcing, no looking. */
    OFF;

    /** The environment variable that chooses the mode. */
    static final String VARIABLE = "CARTERO_DISCOVERY";

    /**
     * The mode {@code environment} asks for; {@link #ON} when it says nothing.
     *
     * @throws CommandException with {@link ExitCodes#USAGE} for a value other than on, local
     *     or off
     */
    static DiscoveryMode from(Map<String, String> environment) {
        String value = environment.get(VARIABLE);
        if (value == null || value.isBlank()) {
            return ON;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "on" -> ON;
            case "local" -> LOCAL;
            case "off" -> OFF;
            default -> throw new CommandException(ExitCodes.USAGE, "error.usage.discovery",
                    value.strip());
        };
    }

    /**
     * The addresses of the interfaces to announce or look on: the loopback one, and in
     * {@link #ON} every network address of this computer ({@link LanAddresses}).
     */
    List<InetAddress> addresses() {
        List<InetAddress> addresses = new ArrayList<>();
        if (this == OFF) {
            return addresses;
        }
        addresses.add(InetAddress.getLoopbackAddress());
        if (this == ON) {
            addresses.addAll(LanAddresses.ipv4());
        }
        return addresses;
    }
}
