package io.cartero.bench;

import java.lang.management.ManagementFactory;

/** The CPU time this process has used, as the JVM reports it. */
final class ProcessCpu {

    private ProcessCpu() {
    }

    /** Nanoseconds of CPU used by this process so far; -1 if the JVM cannot tell. */
    static long nanos() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** {@code cpuNanos} per {@code deliveries}, in microseconds; -1 if either is unknown. */
    static double microsPer(long cpuNanos, long deliveries) {
        if (cpuNanos < 0 || deliveries <= 0) {
            return -1;
        }
        return cpuNanos / 1000.0 / deliveries;
    }
}
