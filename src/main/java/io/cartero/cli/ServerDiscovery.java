package io.cartero.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * Finds the server to use when nobody said which: looks for servers announced on the network
 * ({@link MdnsBrowser}), takes the only one, lets the person pick when there are several (a
 * numbered list; with nobody at a terminal, none), and otherwise falls back to the default
 * server. Says on standard error what it uses.
 */
final class ServerDiscovery {
    /** How long to listen for announcements. */
    static final Duration BROWSE_WAIT = Duration.ofMillis(1500);

    private final CliContext context;
    private final Texts texts;
    private final PrintStream err;

    ServerDiscovery(CliContext context) {
        this.context = context;
        this.texts = context.texts();
        this.err = context.err();
    }

    /** The address of the server to use, looking on what {@code mode} allows. */
    String choose(DiscoveryMode mode, String fallback) {
        err.println(texts.get("discovery.looking"));
        List<FoundServer> found = MdnsBrowser.browse(mode.addresses(), BROWSE_WAIT);
        if (found.isEmpty()) {
            err.println(texts.get("discovery.none", fallback));
            return fallback;
        }
        if (found.size() == 1) {
            FoundServer only = found.get(0);
            err.println(texts.get("discovery.one", only.url(), only.node()));
            return only.url();
        }

        err.println(texts.get("discovery.several", found.size()));
        for (int i = 0; i < found.size(); i++) {
            FoundServer server = found.get(i);
            err.println(texts.get("discovery.item", i + 1, server.url(), server.node(),
                    server.broker().isEmpty() ? "?" : server.broker()));
        }
        FoundServer picked = context.interactive() ? ask(found) : null;
        if (picked == null) {
            err.println(texts.get("discovery.none_chosen", fallback));
            return fallback;
        }
        err.println(texts.get("discovery.chosen", picked.url(), picked.node()));
        return picked.url();
    }

    /** The server the person picks by number; Enter picks the first; null at end of input. */
    private FoundServer ask(List<FoundServer> found) {
        while (true) {
            err.print(texts.get("discovery.ask", found.size()));
            err.flush();
            String line = readLine(context.in());
            if (line == null) {
                err.println();
                return null;
            }
            String typed = line.strip();
            if (typed.isEmpty()) {
                return found.get(0);
            }
            try {
                int number = Integer.parseInt(typed);
                if (number >= 1 && number <= found.size()) {
                    return found.get(number - 1);
                }
            } catch (NumberFormatException e) {
                err.println(texts.get("discovery.not_a_number", typed));
                continue;
            }
            err.println(texts.get("discovery.out_of_range", found.size()));
        }
    }

    /**
     * One line of {@code in}, read byte by byte so that nothing after it is taken from the
     * terminal the command reads next; null at the end of input.
     */
    private String readLine(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(context.charset());
                }
                line.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line.toString(context.charset());
    }
}
