package dev.front.core.observe;

import dev.front.core.connection.RouteKind;
import dev.front.core.trust.ProxyHeaderPolicy;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

/**
 * The metrics of a front without an admin listener: nothing can scrape them, so nothing is counted. A class of its
 * own, loaded only then, so that a front with {@code --admin-port} sees one implementation on its hot path.
 */
public final class NoMetrics implements FrontMetrics {

    public static final NoMetrics INSTANCE = new NoMetrics();

    private NoMetrics() {
    }

    @Override
    public void watchChild(BooleanSupplier childUp) {
    }

    @Override
    public void watchSaturation(DoubleSupplier saturation) {
    }

    @Override
    public void request(RouteKind route, int status, long nanos, long bytesIn, long bytesOut) {
    }

    @Override
    public void connectionOpened() {
    }

    @Override
    public void connectionClosed() {
    }

    @Override
    public long queueEntered() {
        return 0;
    }

    @Override
    public void queueLeft(long enteredNanos) {
    }

    @Override
    public void upstreamError(UpstreamError kind) {
    }

    @Override
    public void childRestarted() {
    }

    @Override
    public void childReloaded(boolean replaced) {
    }

    @Override
    public void childRecycled(String reason) {
    }

    @Override
    public void orphansReaped(int count) {
    }

    @Override
    public void forwardingHeadersDropped(ProxyHeaderPolicy.Dropped dropped) {
    }

    @Override
    public void accessLogDropped() {
    }

    @Override
    public void acceptFailed() {
    }

    @Override
    public void clientRefused() {
    }

    @Override
    public void tlsCertificatesReloaded(boolean success) {
    }

    @Override
    public void watchTlsCertificateReloads() {
    }

    @Override
    public void watchTlsCertificateExpiry(String certificateFile, DoubleSupplier expiryEpochSeconds) {
    }
}
