package dev.front.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * {@code --header-timeout}: a request head must be complete within the timeout from its first byte (or from the
 * connection's opening, for the first request). Sits before the codec, where bytes are visible; the router arms it
 * while it waits for a head and disarms it when one is decoded. On expiry it fires {@link #EXPIRED} for the router
 * to answer 408 through the codec. An idle keep-alive connection (no byte of a next request) is the keep-alive
 * timeout's business, not this one's.
 */
final class HeaderTimeoutHandler extends ChannelInboundHandlerAdapter {

    /** The user event fired when a head took too long. */
    static final Object EXPIRED = new Object() {
        @Override
        public String toString() {
            return "HeaderTimeoutHandler.EXPIRED";
        }
    };

    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private boolean armed;
    /** Set from a head's first byte until the head is decoded: lazy, as it is set once per request. */
    private LazyDeadline deadline;

    HeaderTimeoutHandler(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.deadline = new LazyDeadline(ctx.executor(), this::expired);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        armed = true;
        start(); // the first request: from the connection's opening
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (armed && !deadline.isSet() && msg instanceof ByteBuf bytes && bytes.isReadable()) {
            start();
        }
        ctx.fireChannelRead(msg);
    }

    /** The router waits for a request head. */
    void arm() {
        armed = true;
    }

    /** A head was decoded (or the connection is being answered otherwise). */
    void disarm() {
        armed = false;
        deadline.clear();
    }

    private void start() {
        if (timeoutNanos > 0) {
            deadline.set(timeoutNanos);
        }
    }

    private void expired() {
        if (armed && ctx.channel().isActive()) {
            armed = false;
            ctx.fireUserEventTriggered(EXPIRED);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        armed = false;
        deadline.cancel();
        ctx.fireChannelInactive();
    }
}
