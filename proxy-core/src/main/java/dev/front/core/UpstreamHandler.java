package dev.front.core;

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

    void attach(ForwardExchange exchange) {
        this.exchange = exchange;
    }

    void detach() {
        this.exchange = null;
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
