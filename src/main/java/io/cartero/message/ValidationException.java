package io.cartero.message;

/** Bad input, refused with a stable {@link ErrorCode} and a message in English for logs. */
public class ValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ValidationException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
