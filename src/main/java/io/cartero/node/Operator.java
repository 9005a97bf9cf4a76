package io.cartero.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The operator of a node: whoever holds its token, printed by {@code cartero server} at start
 * (or fixed with {@code CARTERO_OPERATOR_TOKEN}), may use the classroom controls (pause a
 * consumer, simulate clients, cut the node off its broker and bring it back, restart the
 * embedded broker when {@link #withRestart} says how). The token is
 * separate from any access rule of the node. Immutable.
 */
public final class Operator {
    /** What a token may hold: 16-128 letters, digits, {@code -} and {@code _}. */
    public static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;
    /** How to restart the broker, or {@code null} when it cannot be restarted from here. */
    private final BrokerRestart restart;

    private Operator(String token, BrokerRestart restart) {
        this.token = token;
        this.restart = restart;
    }

    /** This operator, who may also restart the broker the way {@code restart} says. */
    public Operator withRestart(BrokerRestart restart) {
        return new Operator(token, Objects.requireNonNull(restart, "restart"));
    }

    /** How to restart the broker; {@code null} if it cannot be restarted from here. */
    BrokerRestart restart() {
        return restart;
    }

    /**
     * An operator with this token.
     *
     * @throws IllegalArgumentException if the token is not 16-128 letters, digits, - and _
     */
    public static Operator withToken(String token) {
        Objects.requireNonNull(token, "token");
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException(
                    "an operator token is 16 to 128 letters, digits, - and _");
        }
        return new Operator(token, null);
    }

    /** An operator with a new random token of 24 characters. */
    public static Operator random() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return new Operator(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), null);
    }

    /** The token, to print for the person who started the node; never log it. */
    public String token() {
        return token;
    }

    /** Whether {@code candidate} is the token, compared in constant time. */
    boolean accepts(String candidate) {
        return candidate != null && MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8),
                candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Operator[token hidden]";
    }
}
