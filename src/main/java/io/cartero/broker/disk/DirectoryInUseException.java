package io.cartero.broker.disk;

import io.cartero.broker.BrokerException;
import java.nio.file.Path;

/** Another embedded broker, in this process or another, has the data directory open. */
public final class DirectoryInUseException extends BrokerException {
    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    public DirectoryInUseException(Path directory) {
        super("the data directory " + directory
                + " is in use by another Cartero server; stop it or use another directory");
        this.directory = directory;
    }

    /** The directory, absolute. */
    public Path directory() {
        return directory;
    }
}
