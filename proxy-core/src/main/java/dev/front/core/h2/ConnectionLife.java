package dev.front.core.h2;

import dev.front.core.connection.Drain;
import dev.front.core.connection.LazyDeadline;
import dev.front.core.upstream.ForwardingService;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * What an HTTP/2 connection does as a whole, behind its frame codec: it closes after {@code --keep-alive-timeout} without an open stream (a
 * header block that never ends opens none); when the front stops ({@link Drain}) it says GOAWAY and closes once the
 * streams already open are answered (the codec's graceful close); and when it closes, the child connection kept for
 * its next request closes too. The requests themselves are its streams' business.
 */
public final class ConnectionLife extends ChannelInboundHandlerAdapter {

    private final long idleNanos;
    private Http2Connection connection;
    private LazyDeadline idle;

    /** @param idleNanos {@code --keep-alive-timeout}; 0 is none */
    public ConnectionLife(long idleNanos) {
        this.idleNanos = idleNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        connection = ctx.pipeline().get(Http2FrameCodec.class).connection();
        idle = new LazyDeadline(ctx.executor(), () -> {
            if (connection.numActiveStreams() == 0) {
                closeGracefully(ctx); // GOAWAY, then closed
            }
        });
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                idle.clear();
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (connection.numActiveStreams() == 0) {
                    armIdle();
                }
            }
        });
        armIdle();
    }

    private void armIdle() {
        if (idleNanos > 0) {
            idle.set(idleNanos);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == Drain.EVENT) {
            closeGracefully(ctx); // the codec's close: GOAWAY, then closed when the open streams are done
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private static void closeGracefully(ChannelHandlerContext ctx) {
        GoawayLinger linger = ctx.pipeline().get(GoawayLinger.class);
        if (linger != null) {
            linger.graceful();
        }
        ctx.channel().close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        idle.cancel();
        ForwardingService.clientClosed(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) {
            ctx.close(); // a reset and the like
        }
        // A protocol error (a flood among them) the codec answers itself, with RST_STREAM or with GOAWAY and its
        // code: closing here first would say GOAWAY NO_ERROR instead.
    }
}
