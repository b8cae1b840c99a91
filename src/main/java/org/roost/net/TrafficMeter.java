package org.roost.net;

/** Receives byte counts of one protocol's connections (for metrics); net knows nothing of the metrics library. */
public interface TrafficMeter {
    void received(long bytes);

    void sent(long bytes);

    /** A TLS handshake finished ({@code version} e.g. "TLSv1.3") or failed ({@code version} "failed"). */
    default void tlsHandshake(String version, boolean success) {}

    TrafficMeter NONE = new TrafficMeter() {
        @Override
        public void received(long bytes) {}

        @Override
        public void sent(long bytes) {}
    };
}
