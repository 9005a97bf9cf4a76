package io.cartero.protocol;

import io.cartero.message.ErrorCode;
import io.cartero.message.ValidationException;

/**
 * A frame that cannot be decoded. Carries the request id when the frame got far enough to
 * have one, so that the error frame can answer it.
 */
public class FrameException extends ValidationException {
    private static final long serialVersionUID = 1L;

    private final Long requestId;

    public FrameException(ErrorCode code, String message, Long requestId) {
        super(code, message);
        this.requestId = requestId;
    }

    /** The id of the request that failed, or {@code null}. */
    public Long requestId() {
        return requestId;
    }
}
