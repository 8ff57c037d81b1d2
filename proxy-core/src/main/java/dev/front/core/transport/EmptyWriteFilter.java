package dev.front.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Keeps empty buffers off a child connection on io_uring. The HTTP encoder ends a request whose body went before
 * (a spooled body's file region) with an empty buffer, which epoll and NIO drop, but which Netty 4.2.18's io_uring
 * transport hands to the kernel as a zero-length send. On a Unix socket whose peer has already answered and closed
 * (a child that read the whole body, replied and hung up before that send) it fails with EPIPE, and the write error
 * closes the connection with the child's complete response still unread: a 502 for a request the app answered.
 * <p>The dropped write's promise completes as the write before it does, so a body that failed to go still fails it.
 */
public final class EmptyWriteFilter extends ChannelOutboundHandlerAdapter {

    /** The last write passed on; {@code null} before the first. */
    private ChannelFuture lastWrite;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buffer && !buffer.isReadable() && ctx.channel().isActive()) {
            buffer.release();
            if (lastWrite == null) {
                promise.trySuccess();
            } else {
                lastWrite.addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        promise.trySuccess();
                    } else {
                        promise.tryFailure(f.cause());
                    }
                });
            }
            return;
        }
        ChannelPromise tracked = promise.unvoid();
        lastWrite = tracked;
        ctx.write(msg, tracked);
    }
}
