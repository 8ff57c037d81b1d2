package dev.front.core.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Times a client connection's wait for its next request, the only time the front waits on the client without an
 * exchange to do it: {@code --keep-alive-timeout} while no byte of the request has come (then the connection closes
 * without an answer), {@code --header-timeout} from the head's first byte until it is decoded (then the router
 * answers 408). The first request's head is timed from the connection's opening. Sits before the codec, where bytes
 * are visible; the router arms it when it waits for a head and disarms it when one is decoded. Both timeouts are
 * {@link LazyDeadline}s: set and cleared once per request, they almost never expire.
 */
public final class RequestWaitHandler extends ChannelInboundHandlerAdapter {

    /** Fired when a head took longer than {@code --header-timeout}. */
    public static final Object HEAD_EXPIRED = new Object() {
        @Override
        public String toString() {
            return "RequestWaitHandler.HEAD_EXPIRED";
        }
    };

    /** Fired when no byte of a next request came within {@code --keep-alive-timeout}. */
    public static final Object IDLE_EXPIRED = new Object() {
        @Override
        public String toString() {
            return "RequestWaitHandler.IDLE_EXPIRED";
        }
    };

    private final long idleNanos;
    private final long headNanos;
    private ChannelHandlerContext ctx;
    /** The router waits for a request head. */
    private boolean armed;
    private LazyDeadline idle;
    private LazyDeadline head;

    /** A timeout of 0 is off. */
    public RequestWaitHandler(long idleNanos, long headNanos) {
        this.idleNanos = idleNanos;
        this.headNanos = headNanos;
    }

    /** {@code --header-timeout}, to say it when a head took longer. */
    public long headNanos() {
        return headNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.idle = new LazyDeadline(ctx.executor(), () -> expired(IDLE_EXPIRED));
        this.head = new LazyDeadline(ctx.executor(), () -> expired(HEAD_EXPIRED));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm();
        startHead(); // the first request: from the connection's opening
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (armed && msg instanceof ByteBuf bytes && bytes.isReadable()) {
            idle.clear();
            if (!head.isSet()) {
                startHead();
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** The router waits for a request head: the connection is idle until its first byte. */
    public void arm() {
        armed = true;
        if (idleNanos > 0) {
            idle.set(idleNanos);
        }
    }

    /** A head was decoded (or the connection is being answered otherwise). */
    public void disarm() {
        armed = false;
        idle.clear();
        head.clear();
    }

    private void startHead() {
        if (headNanos > 0) {
            head.set(headNanos);
        }
    }

    private void expired(Object event) {
        if (armed && ctx.channel().isActive()) {
            armed = false;
            idle.clear();
            head.clear();
            ctx.fireUserEventTriggered(event);
        }
    }

    /** The connection leaves HTTP (a WebSocket tunnel) or closes: no check may outlive it. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        armed = false;
        idle.cancel();
        head.cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handlerRemoved(ctx);
        ctx.fireChannelInactive();
    }
}
