package io.cartero.node;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of requests the broker failed, for the whole node. While Redis is overloaded or
 * away every publish can fail, thousands a second; a line for each would bury everything
 * else and cost the node time it does not have. So the first failure of a burst is logged in
 * full, the ones after it are only counted, and {@link #flush}, called every
 * {@link #INTERVAL}, logs one line with how many more failed and the latest reason. A flush
 * that finds nothing counted ends the burst: the next failure is logged in full again.
 * Thread-safe.
 */
final class BrokerFailures {
    /** How often the node calls {@link #flush}. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(BrokerFailures.class);

    /** Guarded by this: a failure was logged and the flush after it has not ended the burst. */
    private boolean burst;
    /** Guarded by this: failures counted since the last line. */
    private long counted;
    /** Guarded by this: the latest failure counted. */
    private String latestConn;
    private Long latestId;
    private String latestError;

    /** Request {@code id} of connection {@code conn} failed in the broker with {@code error}. */
    void failed(String conn, Long id, String error) {
        synchronized (this) {
            if (burst) {
                counted++;
                latestConn = conn;
                latestId = id;
                latestError = error;
                return;
            }
            burst = true;
        }
        LOG.warn("broker failed conn={} id={} error={}", conn, id, error);
    }

    /** Logs how many failures were counted since the last line, if any. */
    void flush() {
        long more;
        String conn;
        Long id;
        String error;
        synchronized (this) {
            more = counted;
            if (more == 0) {
                burst = false;
                return;
            }
            counted = 0;
            conn = latestConn;
            id = latestId;
            error = latestError;
        }
        LOG.warn("broker failed {} more request(s) within {} s; the latest conn={} id={}"
                + " error={}", more, INTERVAL.toSeconds(), conn, id, error);
    }
}
