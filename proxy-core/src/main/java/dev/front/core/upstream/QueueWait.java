package dev.front.core.upstream;

import dev.front.core.http.Failure;
import dev.front.core.observe.UpstreamError;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A forwarded request's wait for the child, all within {@code --queue-timeout}: a slot under
 * {@code --max-concurrency} (QUEUED), then the child gate open and a connection (WAITING) — the client
 * connection's parked one, or a new one, tried again while nothing listens. It hands the connection to its
 * {@link Outcome}, or the front's answer when the wait failed. A request sent again after its connection failed
 * waits here again, for a new connection only, within what is left of the same deadline. It holds the slot until
 * the exchange takes it over ({@link #takeSlot}) or everything is released ({@link #stop}).
 */
final class QueueWait {

    interface Outcome {
        /** A connection to the child; {@code reused}: a kept-alive one, which may turn out closed. */
        void connected(Channel upstream, boolean reused);

        void failed(Failure failure);
    }

    private enum Phase { QUEUED, WAITING, OVER }

    private static final long CONNECT_RETRY_MILLIS = 100;

    private final ChannelHandlerContext ctx;
    private final ForwardingService service;
    private final Outcome outcome;
    /** Never a parked connection: a handshake's, or any after a failed one (a second parked one is as suspect). */
    private boolean freshOnly;
    private Phase phase = Phase.QUEUED;
    private ConcurrencyLimiter.Ticket slot;
    private long deadline;
    private ScheduledFuture<?> timer;
    /** When the wait began, in the queue metrics; counted only when the request could not be sent at once. */
    private long queuedSince;
    private boolean counted;
    private boolean stopped;

    QueueWait(ChannelHandlerContext ctx, ForwardingService service, boolean handshake, Outcome outcome) {
        this.ctx = ctx;
        this.service = service;
        this.freshOnly = handshake;
        this.outcome = outcome;
    }

    void start() {
        long now = System.nanoTime();
        deadline = now + service.limits().queueTimeout().toNanos();
        ConcurrencyLimiter.Ticket ticket = service.limiter().acquire(ctx.executor(), this::slotGranted);
        if (stopped) {
            ticket.release(); // a slot granted at once, and the exchange ended within that grant
        } else {
            slot = ticket;
        }
        // Usually a slot, an open gate and a parked connection sent it already. Else it waits (for a slot, the
        // child, or a new connection), and only then is it counted in the queue metrics: a request sent at once
        // costs them no clock reads and no shared counter.
        if (phase != Phase.OVER) {
            queuedSince = service.metrics().queueEntered();
            counted = true;
            timer = ctx.executor().schedule(this::timedOut, deadline - now, TimeUnit.NANOSECONDS);
        }
    }

    private void slotGranted() {
        if (phase != Phase.QUEUED) {
            return; // timed out or aborted meanwhile; the ticket was released then
        }
        phase = Phase.WAITING;
        service.gate().whenOpen(ctx.executor(), this::connect);
    }

    /** After a connection failed before any response byte, and the retry policy said yes. */
    void again(boolean reusedFailed) {
        freshOnly = true;
        phase = Phase.WAITING;
        timer = ctx.executor().schedule(this::timedOut, Math.max(deadline - System.nanoTime(), 0),
                TimeUnit.NANOSECONDS);
        if (reusedFailed) {
            connect(); // a kept-alive connection the child had already closed: at once on a fresh one
        } else {
            ctx.executor().schedule(this::connect, CONNECT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether time is left before the deadline. */
    boolean timeLeft() {
        return System.nanoTime() < deadline;
    }

    private void connect() {
        if (phase != Phase.WAITING) {
            return;
        }
        Channel parked = freshOnly ? null : service.takeParked(ctx.channel());
        if (parked != null) {
            connected(parked, true);
            return;
        }
        service.connect(ctx.channel().eventLoop()).addListener((ChannelFutureListener) f -> {
            if (phase != Phase.WAITING) {
                f.channel().close();
            } else if (f.isSuccess()) {
                connected(f.channel(), false);
            } else if (RetryPolicy.refused(f.cause())
                    && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_RETRY_MILLIS) < deadline) {
                // Refused: the child is between a crash and its restart (or a sidecar is redeploying); try again
                // until the queue deadline rather than failing a request that would succeed a moment later.
                ctx.executor().schedule(this::connect, CONNECT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                service.metrics().upstreamError(UpstreamError.REFUSED);
                fail(Failure.upstreamUnreachable(service.upstreamName(), f.cause(), service.supervised(),
                        service.limits().queueTimeout()));
            }
        });
    }

    private void connected(Channel upstream, boolean reused) {
        end();
        outcome.connected(upstream, reused);
    }

    private void timedOut() {
        if (phase == Phase.OVER) {
            return;
        }
        fail(Failure.queueTimeout(service.limits().queueTimeout(), phase == Phase.QUEUED
                ? "a slot (--max-concurrency " + service.config().maxConcurrency() + ")"
                : service.upstreamName() + " to accept a connection"));
    }

    private void fail(Failure failure) {
        end();
        outcome.failed(failure);
    }

    /** The wait is over (the slot, if held, stays held): out of the queue metrics, no timer left. */
    private void end() {
        phase = Phase.OVER;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (counted) {
            counted = false;
            service.metrics().queueLeft(queuedSince);
        }
    }

    /** Hands the slot over to whoever frees it from now on ({@code null} if it was released already). */
    ConcurrencyLimiter.Ticket takeSlot() {
        ConcurrencyLimiter.Ticket taken = slot;
        slot = null;
        return taken;
    }

    /** The exchange ended: no timer left, out of the queue metrics, the slot freed if still held here. */
    void stop() {
        stopped = true;
        end();
        if (slot != null) {
            slot.release();
            slot = null;
        }
    }
}
