package io.cartero.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines {@code server} prints about how people join it: for each address, the one to open
 * in a browser and the {@code chat} command for a terminal. Immutable.
 */
final class WhereToJoin {
    private final Texts texts;
    private final String launcher;
    private final int port;
    private final String browserQuery;
    private final String commandOptions;
    private final boolean secure;

    /**
     * @param launcher how people start Cartero on this system ({@code ./cartero})
     * @param port the port the node listens on
     */
    WhereToJoin(Texts texts, String launcher, int port) {
        this(texts, launcher, port, "", "", false);
    }

    /**
     * @param browserQuery added to each browser address ({@code ?token=...}), or empty
     * @param commandOptions added to each join command ({@code  --token ...}), or empty
     * @param secure whether the node serves https and wss rather than http and ws
     */
    WhereToJoin(Texts texts, String launcher, int port, String browserQuery,
            String commandOptions, boolean secure) {
        this.texts = texts;
        this.launcher = launcher;
        this.port = port;
        this.browserQuery = browserQuery;
        this.commandOptions = commandOptions;
        this.secure = secure;
    }

    /**
     * For a node on every address: each of {@code lanHosts} for other computers (or a line
     * saying there is none), then {@code localhost} for this one.
     */
    List<String> everyAddress(List<String> lanHosts) {
        List<String> lines = new ArrayList<>();
        if (lanHosts.isEmpty()) {
            lines.add(texts.get("server.no_lan"));
        } else {
            lines.addAll(fromOtherComputers(lanHosts));
        }
        lines.add(texts.get("server.join_from_here"));
        lines.add(browser("localhost"));
        lines.add(command("localhost"));
        return lines;
    }

    /** For a node on a loopback address, which only this computer reaches. */
    List<String> thisComputerOnly(String host) {
        return List.of(texts.get("server.local_only", host), browser(host), command(host));
    }

    /** For a node on one address of this computer. */
    List<String> oneAddress(String host) {
        return fromOtherComputers(List.of(host));
    }

    private List<String> fromOtherComputers(List<String> hosts) {
        List<String> lines = new ArrayList<>();
        lines.add(texts.get("server.join_from_lan"));
        hosts.forEach(host -> lines.add(browser(host)));
        lines.add(texts.get("server.or_run_there"));
        hosts.forEach(host -> lines.add(command(host)));
        return lines;
    }

    private String browser(String host) {
        return "  " + (secure ? "https" : "http") + "://" + uriHost(host) + ":" + port
                + (browserQuery.isEmpty() ? "" : "/" + browserQuery);
    }

    private String command(String host) {
        return texts.get("server.join_command", launcher,
                (secure ? "wss" : "ws") + "://" + uriHost(host) + ":" + port)
                + commandOptions;
    }

    private static String uriHost(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
