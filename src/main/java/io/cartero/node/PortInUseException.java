package io.cartero.node;

/** The node could not listen because another program already uses its port. */
public class PortInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int port;

    public PortInUseException(int port, Throwable cause) {
        super("port " + port + " is in use; choose another one with --port", cause);
        this.port = port;
    }

    /** The port that was busy. */
    public int port() {
        return port;
    }
}
