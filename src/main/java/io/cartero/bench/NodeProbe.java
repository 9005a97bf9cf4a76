package io.cartero.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a node says about its own process at {@code /metrics}: the CPU time it has used
 * and the heap in use. It works for any node whose {@code /metrics} this machine can reach,
 * local or not, and costs the node one scrape per sample. A node that does not answer gives
 * no figures instead of failing the run.
 */
final class NodeProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String CPU = "process_cpu_time_ns_total";
    private static final String HEAP = "jvm_memory_used_bytes{area=\"heap\"";

    private final List<URI> metrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private long peakHeap = -1;

    /** A probe of the nodes whose WebSocket addresses are {@code servers}. */
    NodeProbe(List<URI> servers) {
        List<URI> uris = new ArrayList<>();
        for (URI server : servers) {
            String scheme = "wss".equals(server.getScheme()) ? "https" : "http";
            uris.add(URI.create(scheme + "://" + server.getRawAuthority() + "/metrics"));
        }
        this.metrics = List.copyOf(uris);
    }

    /** The CPU time of every node together, in nanoseconds; -1 if any did not answer. */
    long cpuNanos() {
        long total = 0;
        for (URI uri : metrics) {
            Sample sample = sample(uri);
            if (sample == null || sample.cpuNanos < 0) {
                return -1;
            }
            total += sample.cpuNanos;
        }
        return total;
    }

    /** Samples the heap of every node, remembering the largest seen. */
    void sampleHeap() {
        for (URI uri : metrics) {
            Sample sample = sample(uri);
            if (sample != null) {
                peakHeap = Math.max(peakHeap, sample.heapBytes);
            }
        }
    }

    /** The largest heap in use that any node showed, in bytes; -1 if none answered. */
    long peakHeap() {
        return peakHeap;
    }

    private Sample sample(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? parse(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The figures in a Prometheus text page; -1 for those missing. */
    static Sample parse(String page) {
        double cpu = -1;
        double heap = 0;
        boolean heapSeen = false;
        for (String line : page.split("\n")) {
            if (line.startsWith(CPU + " ")) {
                cpu = value(line);
            } else if (line.startsWith(HEAP)) {
                heap += value(line);
                heapSeen = true;
            }
        }
        return new Sample((long) cpu, heapSeen ? (long) heap : -1);
    }

    private static double value(String line) {
        String[] parts = line.trim().split(" ");
        return Double.parseDouble(parts[parts.length - 1]);
    }

    /** One scrape: CPU time in nanoseconds and heap in use in bytes, -1 where unknown. */
    record Sample(long cpuNanos, long heapBytes) {
    }
}
