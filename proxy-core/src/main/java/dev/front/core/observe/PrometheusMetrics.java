package dev.front.core.observe;

import dev.front.config.ProxyHeader;
import dev.front.core.connection.RouteKind;
import dev.front.core.trust.ProxyHeaderPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

/**
 * The front's meters, in one Micrometer registry exposed in Prometheus text format, for a front with an admin
 * listener to scrape them. Every meter is registered when the front starts, so every family is in the first scrape
 * (at zero) and dashboards never see a series appear late. Methods are cheap and thread-safe: event loops, the
 * supervisor and the reaper call them directly.
 */
public final class PrometheusMetrics implements FrontMetrics {

    /** The Prometheus text format (0.0.4) that {@link #scrape(OutputStream)} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Status classes a final response can have, plus {@code aborted}: the connection ended before it was complete. */
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "aborted"};
    private static final int ABORTED = STATUS_CLASSES.length - 1;

    /** Buckets sized for a web request: a static file in a millisecond up to the 60 s default request timeout. */
    private static final Duration[] REQUEST_BUCKETS = millis(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000,
            10_000, 30_000, 60_000);
    /** Buckets for waiting on the child: none at all up to the 45 s default queue timeout. */
    private static final Duration[] QUEUE_BUCKETS = millis(1, 10, 100, 500, 1000, 2500, 5000, 10_000, 20_000, 45_000);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<RouteKind, Timer[]> requests = new EnumMap<>(RouteKind.class);
    private final Map<RouteKind, Counter> received = new EnumMap<>(RouteKind.class);
    private final Map<RouteKind, Counter> sent = new EnumMap<>(RouteKind.class);
    private final Map<UpstreamError, Counter> upstreamErrors = new EnumMap<>(UpstreamError.class);
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger queueDepth = new AtomicInteger();
    private final Timer queueWait;
    private final Counter childRestarts;
    private final Counter reloadsReplaced;
    private final Counter reloadsFailed;
    /** 1 from a failed replacement until one succeeds: the code on disk is not what serves. */
    private final AtomicInteger reloadFailed = new AtomicInteger();
    private final Map<String, Counter> recycles = new java.util.concurrent.ConcurrentHashMap<>();
    private final Counter orphansReaped;
    private final Counter accessLogDropped;
    /** Set once the forwarding service exists; a front that only serves files is never saturated. */
    private volatile DoubleSupplier saturationSource;
    /** By {@link ProxyHeader} ordinal, then {@link ProxyHeaderPolicy.DropReason} ordinal. */
    private final Counter[][] forwardingHeadersDropped =
            new Counter[ProxyHeader.values().length][ProxyHeaderPolicy.DropReason.values().length];
    private final Counter acceptErrors;
    private final Counter clientsRefused;

    public PrometheusMetrics() {
        for (RouteKind route : RouteKind.values()) {
            Timer[] byClass = new Timer[STATUS_CLASSES.length];
            for (int i = 0; i < byClass.length; i++) {
                byClass[i] = Timer.builder("front.requests")
                        .description("Requests answered, by route and status class: count and latency from the "
                                + "request head to the last byte handed to the kernel")
                        .tags("route", route.label(), "status", STATUS_CLASSES[i])
                        .serviceLevelObjectives(REQUEST_BUCKETS)
                        .register(registry);
            }
            requests.put(route, byClass);
            received.put(route, Counter.builder("front.received").baseUnit("bytes")
                    .description("Request body bytes received from clients")
                    .tag("route", route.label()).register(registry));
            sent.put(route, Counter.builder("front.sent").baseUnit("bytes")
                    .description("Response body bytes sent to clients (files included)")
                    .tag("route", route.label()).register(registry));
        }
        for (UpstreamError kind : UpstreamError.values()) {
            upstreamErrors.put(kind, Counter.builder("front.upstream.errors")
                    .description("Requests that failed at the upstream, by kind")
                    .tag("kind", kind.label()).register(registry));
        }
        Gauge.builder("front.connections.open", openConnections, AtomicInteger::get)
                .description("Client connections open now").register(registry);
        Gauge.builder("front.saturation", this, m -> m.saturationSource == null ? 0 : m.saturationSource.getAsDouble())
                .description("(requests forwarded now + requests waiting for a slot) / --max-concurrency: above 1 "
                        + "requests queue in the front; meant for autoscaling. Without a cap, the requests in flight")
                .register(registry);
        Gauge.builder("front.queue.depth", queueDepth, AtomicInteger::get)
                .description("Requests waiting for the child now (starting, restarting)").register(registry);
        queueWait = Timer.builder("front.queue.wait")
                .description("How long forwarded requests waited for a slot, the child or a new connection to it "
                        + "(requests sent at once are not counted)")
                .serviceLevelObjectives(QUEUE_BUCKETS).register(registry);
        childRestarts = Counter.builder("front.child.restarts")
                .description("Times the child was restarted after an unexpected exit").register(registry);
        reloadsReplaced = reloads("replaced");
        reloadsFailed = reloads("failed");
        Gauge.builder("front.child.reload.failed", reloadFailed, AtomicInteger::get)
                .description("1 after a replacement of the child failed (the old child still serves), 0 once one"
                        + " succeeds").register(registry);
        for (String reason : new String[] {"maximum-requests", "restart-interval", "memory-limit"}) {
            recycles.put(reason, Counter.builder("front.child.recycles")
                    .description("Replacements the front started on its own, by the limit that was reached")
                    .tag("reason", reason).register(registry));
        }
        orphansReaped = Counter.builder("front.orphans.reaped")
                .description("Orphaned processes the front reaped as their parent").register(registry);
        accessLogDropped = Counter.builder("front.access.log.dropped")
                .description("Access log lines dropped because stdout could not keep up").register(registry);
        // Labels come from two fixed enums, never from request text: at most 14 x 4 series.
        for (ProxyHeader header : ProxyHeader.values()) {
            for (ProxyHeaderPolicy.DropReason reason : ProxyHeaderPolicy.DropReason.values()) {
                forwardingHeadersDropped[header.ordinal()][reason.ordinal()] =
                        Counter.builder("front.forwarding.headers.dropped")
                                .description("Forwarding headers of forwarded requests the front did not believe, by "
                                        + "header and reason (once per request and header)")
                                .tags("header", header.wireName(), "reason", reason.label()).register(registry);
            }
        }
        acceptErrors = Counter.builder("front.accept.errors")
                .description("Times accepting a client connection failed (out of descriptors and the like); "
                        + "the listener pauses after each").register(registry);
        clientsRefused = Counter.builder("front.clients.refused")
                .description("Client connections over --max-clients, answered 503 and closed").register(registry);
    }

    private Counter reloads(String result) {
        return Counter.builder("front.child.reloads")
                .description("Replacements of the child by a new one (HUP, POST /reload, recycling), by result")
                .tag("result", result).register(registry);
    }

    private static Duration[] millis(long... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis(values[i]);
        }
        return durations;
    }

    /** Adds {@code front_child_up}: 1 while {@code childUp} says the child accepts connections, else 0. */
    @Override
    public void watchChild(BooleanSupplier childUp) {
        Gauge.builder("front.child.up", childUp, up -> up.getAsBoolean() ? 1 : 0)
                .description("1 while the child accepts connections, 0 while it starts, restarts or stops")
                .strongReference(true)
                .register(registry);
    }

    /** Feeds {@code front_saturation} from the forwarding service's concurrency cap. */
    @Override
    public void watchSaturation(DoubleSupplier saturation) {
        saturationSource = saturation;
    }

    /**
     * One request is done. {@code status} 0 means the connection ended before the response was complete;
     * {@code nanos} runs from the request head to the last response byte handed to the kernel.
     */
    @Override
    public void request(RouteKind route, int status, long nanos, long bytesIn, long bytesOut) {
        int statusClass = status >= 100 && status < 600 ? status / 100 - 1 : ABORTED;
        requests.get(route)[statusClass].record(nanos, TimeUnit.NANOSECONDS);
        if (bytesIn > 0) {
            received.get(route).increment(bytesIn);
        }
        if (bytesOut > 0) {
            sent.get(route).increment(bytesOut);
        }
    }

    @Override
    public void connectionOpened() {
        openConnections.incrementAndGet();
    }

    @Override
    public void connectionClosed() {
        openConnections.decrementAndGet();
    }

    /**
     * A forwarded request could not be sent at once and starts waiting (for a slot, the child, or a new connection);
     * returns the start time to hand to {@link #queueLeft}.
     */
    @Override
    public long queueEntered() {
        queueDepth.incrementAndGet();
        return System.nanoTime();
    }

    /** The request that entered at {@code enteredNanos} stops waiting (sent, timed out or aborted). */
    @Override
    public void queueLeft(long enteredNanos) {
        queueDepth.decrementAndGet();
        queueWait.record(System.nanoTime() - enteredNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void upstreamError(UpstreamError kind) {
        upstreamErrors.get(kind).increment();
    }

    @Override
    public void childRestarted() {
        childRestarts.increment();
    }

    /** A replacement ended: {@code replaced} true when the new child serves now. */
    @Override
    public void childReloaded(boolean replaced) {
        (replaced ? reloadsReplaced : reloadsFailed).increment();
        reloadFailed.set(replaced ? 0 : 1);
    }

    /** The front started a replacement on its own: {@code reason} is maximum-requests, restart-interval or memory-limit. */
    @Override
    public void childRecycled(String reason) {
        Counter counter = recycles.get(reason);
        if (counter == null) {
            throw new IllegalArgumentException("recycle reason: " + reason);
        }
        counter.increment();
    }

    @Override
    public void orphansReaped(int count) {
        orphansReaped.increment(count);
    }

    /** Counts each header of {@code dropped} once under its reason. */
    @Override
    public void forwardingHeadersDropped(ProxyHeaderPolicy.Dropped dropped) {
        for (ProxyHeaderPolicy.DropReason reason : ProxyHeaderPolicy.DropReason.values()) {
            for (int bits = dropped.headers(reason); bits != 0; bits &= bits - 1) {
                forwardingHeadersDropped[Integer.numberOfTrailingZeros(bits)][reason.ordinal()].increment();
            }
        }
    }

    @Override
    public void accessLogDropped() {
        accessLogDropped.increment();
    }

    @Override
    public void acceptFailed() {
        acceptErrors.increment();
    }

    /** Writes every meter in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public void scrape(OutputStream out) throws IOException {
        registry.scrape(out, CONTENT_TYPE);
    }

    @Override
    public void clientRefused() {
        clientsRefused.increment();
    }

    @Override
    public void tlsCertificatesReloaded(boolean success) {
        tlsReloads(success ? "success" : "failure").increment();
    }

    @Override
    public void watchTlsCertificateReloads() {
        tlsReloads("success");
        tlsReloads("failure");
    }

    private Counter tlsReloads(String result) {
        return Counter.builder("front.tls.certificate.reloads")
                .description("Reloads of the TLS certificate and key files after they changed, by result")
                .tag("result", result).register(registry);
    }

    @Override
    public void watchTlsCertificateExpiry(String certificateFile, DoubleSupplier expiryEpochSeconds) {
        Gauge.builder("front.tls.certificate.expiry", expiryEpochSeconds, DoubleSupplier::getAsDouble)
                .description("Expiry of the TLS certificate served now, in seconds since the epoch")
                .baseUnit("seconds")
                .tag("certificate", certificateFile)
                .strongReference(true)
                .register(registry);
    }
}
