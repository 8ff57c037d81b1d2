package dev.front.core.transport;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener's answer to a failing accept(2), as nginx's: stop accepting for {@link #PAUSE_MILLIS}, then try again.
 * Out of descriptors (EMFILE, ENFILE) an accept fails at once each time it is retried, so retrying at once only burns
 * a core and floods the log; meanwhile the connections already open are served as usual (freeing descriptors as they
 * close), and new ones wait in the listen backlog. Every failure is counted ({@code front_accept_errors_total}); the
 * log gets one line when failures start and at most one per {@link #LOG_INTERVAL_NANOS} while they go on.
 * <p>Sits on the listener's pipeline before Netty's acceptor, and keeps accept errors from it (it would pause for a
 * second itself, then log each one with a stack trace at the pipeline's tail).
 */
public final class AcceptPause extends ChannelInboundHandlerAdapter {

    static final long PAUSE_MILLIS = 500;
    static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Logger LOG = LoggerFactory.getLogger("front");

    /** Counts one failed accept ({@code front_accept_errors_total}). */
    private final Runnable failureCounter;
    /** Failures since the last log line. */
    private long unlogged;
    private long lastLogged;
    private boolean everLogged;

    public AcceptPause(Runnable failureCounter) {
        this.failureCounter = failureCounter;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        failureCounter.run();
        unlogged++;
        long now = System.nanoTime();
        if (!everLogged || now - lastLogged >= LOG_INTERVAL_NANOS) {
            log(cause, now);
        }
        pause(ctx);
    }

    private void log(Throwable cause, long now) {
        if (!everLogged) {
            LOG.warn("cannot accept connections: {}; accepting pauses {} ms after each failure, open connections are "
                    + "still served", cause.getMessage(), PAUSE_MILLIS);
        } else {
            LOG.warn("still cannot accept connections: {}; {} failures since the previous such line",
                    cause.getMessage(), unlogged);
        }
        everLogged = true;
        lastLogged = now;
        unlogged = 0;
    }

    private static void pause(ChannelHandlerContext ctx) {
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.executor().schedule(() -> {
                config.setAutoRead(true);
            }, PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
