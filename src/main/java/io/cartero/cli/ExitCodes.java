package io.cartero.cli;

/** The exit codes of every command, listed in each command's help footer. */
final class ExitCodes {
    /** The command did what it was asked, or was stopped with Ctrl+C. */
    static final int OK = 0;
    /** Refused: bad input, or an error the server sent back (invalid room, name taken...). */
    static final int REFUSED = 1;
    /** The command line itself is wrong: unknown option, missing value, unknown URL scheme. */
    static final int USAGE = 2;
    /** The network failed: the server is unreachable, the connection was lost, or the port
     * to listen on is busy. */
    static final int UNREACHABLE = 3;

    private ExitCodes() {
    }
}
