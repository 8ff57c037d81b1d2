package dev.front.core.websocket;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cap on WebSocket tunnels open at once ({@code --max-websockets}). Unlike {@code upstream.ConcurrencyLimiter} there is
 * no queue: a tunnel lives for minutes or hours, so a handshake that finds the cap reached is refused at once (503)
 * rather than left waiting. Shared by every event loop.
 */
public final class TunnelCap {

    /** One open (or opening) tunnel's place under the cap. */
    public final class Permit {
        private final AtomicBoolean held = new AtomicBoolean(true);

        /** Gives the place back; idempotent, so every path that ends a tunnel may call it. */
        public void release() {
            if (held.compareAndSet(true, false)) {
                open.decrementAndGet();
            }
        }
    }

    private final int capacity;
    private final AtomicInteger open = new AtomicInteger();

    /** @param capacity tunnels at once, 1 or more */
    public TunnelCap(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: 1 or more)");
        }
        this.capacity = capacity;
    }

    /** A place under the cap, or {@code null} when {@code capacity} tunnels are already open. */
    public Permit tryAcquire() {
        while (true) {
            int now = open.get();
            if (now >= capacity) {
                return null;
            }
            if (open.compareAndSet(now, now + 1)) {
                return new Permit();
            }
        }
    }

    int open() {
        return open.get();
    }
}
