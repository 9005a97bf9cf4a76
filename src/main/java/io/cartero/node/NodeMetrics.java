package io.cartero.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A node's counters, gauges and its fan-out timer, with the process's CPU time and the JVM's
 * memory, served at {@code /metrics} in the Prometheus text format. Every meter is made once,
 * here; the hot path only increments. Thread-safe.
 */
final class NodeMetrics {
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Timer fanOut;
    private final Counter slowClients;
    private final Counter brokerErrors;
    private final Counter resumes;
    private final Counter helloTimeouts;
    private final Counter replaced;

    /**
     * @param connections how many connections are open
     * @param rooms how many rooms at least one connection of this node has joined
     */
    NodeMetrics(Supplier<Number> connections, Supplier<Number> rooms) {
        Gauge.builder("cartero.connections", connections)
                .description("open WebSocket connections").register(registry);
        Gauge.builder("cartero.rooms", rooms)
                .description("rooms joined by at least one connection").register(registry);
        messagesIn = counter("cartero.messages.in", "messages published by clients");
        messagesOut = counter("cartero.messages.out", "message frames handed to sockets");
        fanOut = Timer.builder("cartero.fanout.latency")
                .description("from a message's sent_at to its frame handed to a socket")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        slowClients = counter("cartero.slow.client.disconnects",
                "connections closed with 4001 because their outgoing buffer was full");
        brokerErrors = counter("cartero.broker.errors",
                "requests the broker failed, and room subscriptions it ended");
        resumes = counter("cartero.resumes", "joins that resumed after a known position");
        helloTimeouts = counter("cartero.hello.timeouts",
                "connections closed with 4003 for not saying hello in time");
        replaced = counter("cartero.sessions.replaced",
                "connections closed with 4004 because their session connected again");
        // The process's CPU time and heap: what cartero bench reads to cost a delivery.
        new ProcessorMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    void messageIn() {
        messagesIn.increment();
    }

    /** A message frame was handed to a socket; {@code sentAtMillis} is its broker time. */
    void messageOut(long sentAtMillis) {
        messagesOut.increment();
        long millis = System.currentTimeMillis() - sentAtMillis;
        fanOut.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    void slowClient() {
        slowClients.increment();
    }

    void brokerError() {
        brokerErrors.increment();
    }

    void resume() {
        resumes.increment();
    }

    void helloTimeout() {
        helloTimeouts.increment();
    }

    void replaced() {
        replaced.increment();
    }

    /** Every meter, in the Prometheus text format. */
    String scrape() {
        return registry.scrape();
    }
}
