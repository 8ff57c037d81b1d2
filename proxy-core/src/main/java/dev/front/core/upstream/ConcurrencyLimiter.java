package dev.front.core.upstream;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;

/**
 * The cap on requests forwarded to the upstream at once ({@code --max-concurrency}), with a FIFO queue: a sync
 * worker serves one request at a time, so requests beyond its capacity wait here, in arrival order, instead of
 * piling up in the child's listen backlog where no deadline applies. Shared by every event loop; a waiter is
 * resumed on its own event loop. The caller keeps its own deadline and cancels its ticket when it gives up.
 */
public final class ConcurrencyLimiter {

    /** One request's claim on a slot: waiting, holding, or given back. */
    final class Ticket {
        private final EventExecutor executor;
        private final Runnable granted;
        private boolean waiting;
        private boolean holding;

        private Ticket(EventExecutor executor, Runnable granted) {
            this.executor = executor;
            this.granted = granted;
        }

        /** Gives the slot back, or leaves the queue; idempotent. */
        void release() {
            Ticket next = null;
            synchronized (ConcurrencyLimiter.this) {
                if (waiting) {
                    waiting = false;
                    queue.remove(this);
                } else if (holding) {
                    holding = false;
                    inUse--;
                    next = grantNext();
                }
            }
            if (next != null) {
                next.executor.execute(next.granted);
            }
        }
    }

    private final int capacity;
    private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
    private int inUse;

    /** @param capacity requests at once; 0 = no cap */
    public ConcurrencyLimiter(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Runs {@code granted} on {@code executor} once a slot is free: at once (in the caller's thread when it is that
     * executor) or when an earlier request gives its slot back.
     */
    public Ticket acquire(EventExecutor executor, Runnable granted) {
        Ticket ticket = new Ticket(executor, granted);
        synchronized (this) {
            if (capacity > 0 && (inUse >= capacity || !queue.isEmpty())) {
                ticket.waiting = true;
                queue.addLast(ticket);
                return ticket;
            }
            ticket.holding = true;
            inUse++;
        }
        if (executor.inEventLoop()) {
            granted.run();
        } else {
            executor.execute(granted);
        }
        return ticket;
    }

    private Ticket grantNext() {
        Ticket next = queue.pollFirst();
        if (next != null) {
            next.waiting = false;
            next.holding = true;
            inUse++;
        }
        return next;
    }

    /**
     * Requests holding a slot plus those waiting for one, per slot: 1 is exactly full, above 1 requests queue. With
     * no cap the front cannot know how many the child takes at once, so it answers the requests in flight (as if
     * the cap were 1): still rising with load, never scaled to the child.
     */
    public synchronized double saturation() {
        return (inUse + queue.size()) / (double) Math.max(capacity, 1);
    }

    synchronized int inUse() {
        return inUse;
    }

    synchronized int waiting() {
        return queue.size();
    }
}
