package dev.front.core.upstream;

import dev.front.core.connection.LazyDeadline;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a child connection: hands the child's response to the exchange that sent the request. A
 * connection parked between requests has no exchange; anything it receives then is a protocol error and retires it.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private ForwardExchange exchange;
    /**
     * {@code --request-timeout} of the attached exchange: lazy, since a kept-alive child connection sets it for every
     * request and it almost never expires.
     */
    private LazyDeadline responseDeadline;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        responseDeadline = new LazyDeadline(ctx.executor(), () -> {
            if (exchange != null) {
                exchange.requestTimedOut(); // ignored once the response head came
            }
        });
    }

    /** The exchange just sent its request; it is told if {@code timeoutNanos} pass before it is detached. */
    void attach(ForwardExchange exchange, long timeoutNanos) {
        this.exchange = exchange;
        responseDeadline.set(timeoutNanos);
    }

    void detach() {
        this.exchange = null;
        responseDeadline.clear();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange == null || !(msg instanceof HttpObject object)) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        exchange.fromUpstream(object);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.upstreamReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        responseDeadline.cancel();
        if (exchange != null) {
            exchange.upstreamClosed(null);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (exchange != null) {
            exchange.upstreamClosed(cause);
        }
        ctx.close();
    }
}
