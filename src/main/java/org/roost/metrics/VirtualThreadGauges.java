package org.roost.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/**
 * Virtual-thread scheduler figures from the JDK's {@code jdk.management:type=VirtualThreadScheduler}
 * MXBean (JDK 24+); on older JDKs the gauges are simply absent.
 */
final class VirtualThreadGauges {
    private VirtualThreadGauges() {}

    static void bindTo(MeterRegistry registry) {
        try {
            var server = ManagementFactory.getPlatformMBeanServer();
            var name = new ObjectName("jdk.management:type=VirtualThreadScheduler");
            if (!server.isRegistered(name)) {
                return;
            }
            gauge(registry, "jvm_threads_virtual_mounted", "Virtual threads mounted on carriers", name, "MountedVirtualThreadCount");
            gauge(registry, "jvm_threads_virtual_queued", "Virtual threads queued for a carrier", name, "QueuedVirtualThreadCount");
            gauge(registry, "jvm_threads_virtual_carrier_parallelism", "Carrier threads of the scheduler", name, "Parallelism");
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void gauge(MeterRegistry registry, String meter, String help, ObjectName bean, String attribute) {
        var server = ManagementFactory.getPlatformMBeanServer();
        Gauge.builder(meter, () -> {
            try {
                return ((Number) server.getAttribute(bean, attribute)).doubleValue();
            } catch (Exception e) {
                return Double.NaN;
            }
        }).description(help).register(registry);
    }
}
