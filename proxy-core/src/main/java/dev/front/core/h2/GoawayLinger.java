package dev.front.core.h2;

import dev.front.core.connection.LingeringClose;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Ends an HTTP/2 connection that the front closes gracefully (drain, idle) without a reset. The frame codec closes
 * the socket the moment its last stream's last frame is written; the client meanwhile still sends (WINDOW_UPDATEs
 * for that very data, PINGs), and a socket closed with unread input answers with RST, which makes the client's
 * kernel drop the end of the response it had not read yet. So that close becomes a {@link LingeringClose}: output
 * shut after the last frame, input drained until the client closes or goes quiet. Sits in front of the codec, where
 * the codec's close passes; a close after a protocol error (GOAWAY with an error) stays immediate.
 */
final class GoawayLinger extends ChannelOutboundHandlerAdapter {

    private boolean graceful;
    private boolean lingering;

    /** The front is about to close this connection gracefully. */
    void graceful() {
        graceful = true;
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (graceful && !lingering && ctx.channel().isActive()) {
            lingering = true;
            ctx.channel().closeFuture().addListener((ChannelFutureListener) f -> promise.trySuccess());
            LingeringClose.start(ctx.channel());
            return;
        }
        ctx.close(promise);
    }
}
