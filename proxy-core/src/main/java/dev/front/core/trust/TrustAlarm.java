package dev.front.core.trust;

import dev.front.config.ProxyHeader;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Makes the forwarding headers the policy did not believe visible: every one is counted in
 * {@code front_forwarding_headers_dropped_total}, and headers named by {@code --trust-proxy-header} arriving from a
 * peer outside {@code --trust-proxy} also give a {@code warn} line, at most one a minute. That is what a wrong
 * {@code --trust-proxy} network looks like (the proxy's real address is not in it, so every client seems to be the
 * proxy), and what a client that reaches the front past the proxy looks like; either way the child would otherwise
 * see wrong client addresses in silence.
 */
public final class TrustAlarm {

    static final long WINDOW_NANOS = 60_000_000_000L;

    /** Counts the dropped headers ({@code front_forwarding_headers_dropped_total}). */
    private final Consumer<ProxyHeaderPolicy.Dropped> counter;
    private final Logger log;
    private final LongSupplier nanoTime;
    /** When the last line went out; starts a window in the past, so the first untrusted peer is logged at once. */
    private final AtomicLong lastLine;
    /** Requests from untrusted peers with trusted headers since the last line, not logged. */
    private final LongAdder suppressed = new LongAdder();

    public TrustAlarm(Consumer<ProxyHeaderPolicy.Dropped> counter, Logger log, LongSupplier nanoTime) {
        this.counter = counter;
        this.log = log;
        this.nanoTime = nanoTime;
        this.lastLine = new AtomicLong(nanoTime.getAsLong() - WINDOW_NANOS);
    }

    /** One forwarded request had forwarding headers the policy dropped ({@code dropped} is never NONE here). */
    public void dropped(ProxyHeaderPolicy.Dropped dropped, InetSocketAddress peer) {
        counter.accept(dropped);
        if (dropped.untrustedPeer() == 0 || !log.isWarnEnabled()) {
            return;
        }
        long now = nanoTime.getAsLong();
        long last = lastLine.get();
        // A lost race means another thread writes this window's line: count this one for the next.
        if (now - last < WINDOW_NANOS || !lastLine.compareAndSet(last, now)) {
            suppressed.increment();
            return;
        }
        long before = suppressed.sumThenReset();
        log.warn(names(dropped.untrustedPeer()) + " from " + address(peer) + ", a peer outside --trust-proxy: dropped,"
                + " the child sees the peer's own address. If that peer is your proxy, add its network to"
                + " --trust-proxy; else a client reaches the front without passing the proxy"
                + (before == 0 ? "" : " (" + before + " more requests like it not logged since the last line)"));
    }

    /** The wire names of a mask over {@link ProxyHeader} ordinals: a fixed vocabulary, never request text. */
    static String names(int mask) {
        ProxyHeader[] headers = ProxyHeader.values();
        StringBuilder text = new StringBuilder();
        for (int bits = mask; bits != 0; bits &= bits - 1) {
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(headers[Integer.numberOfTrailingZeros(bits)].wireName());
        }
        return text.toString();
    }

    private static String address(InetSocketAddress peer) {
        return peer.getAddress() == null ? peer.getHostString() : peer.getAddress().getHostAddress();
    }
}
