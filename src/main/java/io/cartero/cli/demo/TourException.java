package io.cartero.cli.demo;

/**
 * The tour cannot go on: what it waited for did not happen. Carries a bundle key and its
 * arguments, so that the command line can explain it in the person's language.
 */
public final class TourException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Object[] args;

    TourException(String key, Object... args) {
        super(key);
        this.args = args.clone();
    }

    /** The bundle key of the explanation. */
    public String key() {
        return getMessage();
    }

    /** The arguments of the explanation. */
    public Object[] args() {
        return args.clone();
    }
}
