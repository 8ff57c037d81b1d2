package dev.front.core.connection;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A timeout of a connection that is set and cleared once per request but almost never expires (header timeout,
 * request timeout on a kept-alive connection). Setting or clearing it only writes fields: one check is scheduled at
 * a time, and when it runs before the current deadline it schedules itself again for the time left. The event
 * loop's timer queue thus sees about one task per timeout period instead of a schedule and a cancel per request.
 * Event-loop confined; {@link #cancel()} when the connection closes, so no check outlives it.
 */
public final class LazyDeadline {

    private final EventExecutor executor;
    private final Runnable expired;
    private boolean set;
    private long deadline;
    /** The pending check and when it runs; {@code null} when none is scheduled. */
    private ScheduledFuture<?> check;
    private long checkAt;

    public LazyDeadline(EventExecutor executor, Runnable expired) {
        this.executor = executor;
        this.expired = expired;
    }

    /** Expires {@code timeoutNanos} from now unless cleared or set again before. */
    public void set(long timeoutNanos) {
        deadline = System.nanoTime() + timeoutNanos;
        set = true;
        if (check != null && checkAt - deadline > 0) {
            check.cancel(false); // a shorter timeout than before: the pending check would come too late
            check = null;
        }
        if (check == null) {
            schedule(timeoutNanos);
        }
    }

    boolean isSet() {
        return set;
    }

    /** No deadline until the next {@link #set}; a pending check finds nothing to do and lapses. */
    public void clear() {
        set = false;
    }

    /** Clears it and drops the pending check: the connection is gone. */
    public void cancel() {
        set = false;
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    private void schedule(long delayNanos) {
        checkAt = System.nanoTime() + delayNanos;
        check = executor.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        check = null;
        if (!set) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            schedule(left); // moved on since this check was scheduled
            return;
        }
        set = false;
        expired.run();
    }
}
