package dev.front.core.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection after its last response the way nginx's lingering close does, so that a client still
 * sending reads the answer instead of a reset. Closing a socket with unread input makes the kernel reset the
 * connection, and a client caught writing (an upload refused with 413, a head refused with 431) then fails on its
 * write and often never reads the answer. Instead the front shuts its output, after TLS's close_notify on a TLS
 * connection (the client reads the response, then
 * end of stream) and reads and drops whatever still comes, until the client closes, or sends nothing for
 * {@link #QUIET_NANOS}, or {@link #MAX_NANOS} have passed: nginx's {@code lingering_timeout} and
 * {@code lingering_time}. Sits first in the pipeline, so no byte read here reaches the codec.
 */
public final class LingeringClose extends ChannelInboundHandlerAdapter {

    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Closes lingering once the write is out; at once if it failed (the client is gone). */
    static final ChannelFutureListener AFTER_WRITE = f -> {
        if (f.isSuccess()) {
            start(f.channel());
        } else {
            f.channel().close();
        }
    };

    private ChannelHandlerContext ctx;
    private long lastRead;
    private ScheduledFuture<?> quietCheck;
    private ScheduledFuture<?> maxTimer;

    /** Shuts the channel's output and drains its input until it can close without a reset. Idempotent. */
    public static void start(Channel channel) {
        if (lingering(channel)) {
            return;
        }
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive() || duplex.isInputShutdown()) {
            channel.close(); // nothing more can come, or no half-close to offer
            return;
        }
        channel.attr(LINGERING).set(Boolean.TRUE);
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls != null) {
            // TLS ends with close_notify before the FIN: without it a client sees a truncated stream, not an end.
            tls.closeOutbound().addListener(f -> shutdownOutput(duplex));
        } else {
            shutdownOutput(duplex);
        }
        channel.pipeline().addFirst(HandlerNames.LINGER, new LingeringClose());
    }

    private static void shutdownOutput(DuplexChannel duplex) {
        duplex.shutdownOutput().addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                duplex.close();
            }
        });
    }

    /**
     * The connection has had its last response and only drains what the client still sends. Client connections
     * shut their output only here (a WebSocket tunnel relays the client's half-close, but the tunnel has left HTTP).
     */
    public static boolean lingering(Channel channel) {
        return channel instanceof DuplexChannel duplex
                && (duplex.isOutputShutdown() || channel.hasAttr(LINGERING)); // TLS: close_notify on its way
    }

    /** Set when lingering starts: under TLS the output is shut only once close_notify is written. */
    private static final AttributeKey<Boolean> LINGERING = AttributeKey.valueOf("front.lingering");

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        lastRead = now();
        quietCheck = ctx.executor().schedule(this::checkQuiet, QUIET_NANOS, TimeUnit.NANOSECONDS);
        maxTimer = ctx.executor().schedule(this::close, MAX_NANOS, TimeUnit.NANOSECONDS);
        ctx.read(); // auto-read is off: this handler asks for input itself from now on
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        lastRead = now();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.read();
    }

    /** Rather than rescheduling on every read, the check looks at the last read and comes back for the time left. */
    private void checkQuiet() {
        long left = lastRead + QUIET_NANOS - now();
        if (left > 0) {
            quietCheck = ctx.executor().schedule(this::checkQuiet, left, TimeUnit.NANOSECONDS);
        } else {
            close();
        }
    }

    private void close() {
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset while draining: nothing is owed any more
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimers();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimers();
    }

    private void cancelTimers() {
        quietCheck.cancel(false);
        maxTimer.cancel(false);
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }
}
