package io.cartero.cli;

/**
 * A failure the command line explains to its user: a bundle key, its arguments and the exit
 * code. Its {@link #getMessage()} is the key, for logs.
 */
final class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final transient Object[] args;

    CommandException(int exitCode, String key, Object... args) {
        super(key);
        this.exitCode = exitCode;
        this.args = args.clone();
    }

    CommandException(int exitCode, Throwable cause, String key, Object... args) {
        super(key, cause);
        this.exitCode = exitCode;
        this.args = args.clone();
    }

    /** One of {@link ExitCodes}. */
    int exitCode() {
        return exitCode;
    }

    /** The bundle key of the explanation. */
    String key() {
        return getMessage();
    }

    /** The arguments of the explanation's pattern. */
    Object[] args() {
        return args.clone();
    }
}
