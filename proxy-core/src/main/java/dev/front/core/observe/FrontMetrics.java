package dev.front.core.observe;

import dev.front.core.connection.RouteKind;
import dev.front.core.trust.ProxyHeaderPolicy;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

/**
 * What the front counts, as its event loops, supervisor and reaper report it. {@link PrometheusMetrics} keeps the
 * meters for the admin listener's {@code /metrics}; without {@code --admin-port} nobody can read them, so the front
 * takes {@link NoMetrics} and never loads Micrometer at all (about 250 classes and their heap).
 * Implementations are cheap and thread-safe.
 */
public interface FrontMetrics {

    /** Adds {@code front_child_up}: 1 while {@code childUp} says the child accepts connections, else 0. */
    void watchChild(BooleanSupplier childUp);

    /** Feeds {@code front_saturation} from the forwarding service's concurrency cap. */
    void watchSaturation(DoubleSupplier saturation);

    /**
     * One request is done. {@code status} 0 means the connection ended before the response was complete;
     * {@code nanos} runs from the request head to the last response byte handed to the kernel.
     */
    void request(RouteKind route, int status, long nanos, long bytesIn, long bytesOut);

    void connectionOpened();

    void connectionClosed();

    /**
     * A forwarded request could not be sent at once and starts waiting (for a slot, the child, or a new connection);
     * returns the start time to hand to {@link #queueLeft}.
     */
    long queueEntered();

    /** The request that entered at {@code enteredNanos} stops waiting (sent, timed out or aborted). */
    void queueLeft(long enteredNanos);

    void upstreamError(UpstreamError kind);

    void childRestarted();

    /** A replacement ended: {@code replaced} true when the new child serves now. */
    void childReloaded(boolean replaced);

    /** The front started a replacement on its own: {@code reason} is maximum-requests, restart-interval or memory-limit. */
    void childRecycled(String reason);

    void orphansReaped(int count);

    /** Counts each header of {@code dropped} once under its reason. */
    void forwardingHeadersDropped(ProxyHeaderPolicy.Dropped dropped);

    void accessLogDropped();

    void acceptFailed();

    /** A connection over {@code --max-clients}, answered 503 and closed ({@code front_clients_refused_total}). */
    void clientRefused();

    /**
     * A reload of the TLS certificates after their files changed ({@code front_tls_certificate_reloads_total}):
     * {@code success} when new handshakes get the new files, else {@code failure} (the previous ones are kept).
     */
    void tlsCertificatesReloaded(boolean success);

    /** Makes {@code front_tls_certificate_reloads_total} present at zero, as the other families are. */
    void watchTlsCertificateReloads();

    /**
     * Adds {@code front_tls_certificate_expiry_seconds{certificate}}: when the certificate served from
     * {@code certificateFile} expires, in seconds since the epoch (alert on it minus {@code time()}).
     */
    void watchTlsCertificateExpiry(String certificateFile, DoubleSupplier expiryEpochSeconds);
}
