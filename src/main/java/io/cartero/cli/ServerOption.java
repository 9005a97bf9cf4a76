package io.cartero.cli;

import picocli.CommandLine.Option;

/** The {@code --server} option of the commands that talk to a node. */
final class ServerOption {
    /** Where a node runs when neither {@code --server} nor {@code CARTERO_SERVER} says. */
    static final String DEFAULT_SERVER = "ws://localhost:8080";

    @Option(names = {"-s", "--server"}, paramLabel = "URL", defaultValue = DEFAULT_SERVER,
            descriptionKey = "server")
    private String url;

    /** The server's address as the user gave it. */
    String url() {
        return url;
    }
}
