package dev.front.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The front's own short text answers (400, 404, 413, 502, 503, 504 ...). */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static FullHttpResponse of(HttpResponseStatus status, boolean close) {
        ByteBuf body = Unpooled.copiedBuffer(status.code() + " " + status.reasonPhrase() + "\n", StandardCharsets.US_ASCII);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (close) {
            HttpUtil.setKeepAlive(response, false);
        }
        return response;
    }

    /**
     * Writes and flushes {@code response}; closes the connection afterwards ({@link LingeringClose}) when it says
     * {@code Connection: close}.
     */
    public static ChannelFuture send(ChannelHandlerContext ctx, FullHttpResponse response) {
        boolean close = !HttpUtil.isKeepAlive(response);
        ChannelFuture future = ctx.writeAndFlush(response);
        if (close) {
            future.addListener(LingeringClose.AFTER_WRITE);
        }
        return future;
    }

    public static ChannelFuture send(ChannelHandlerContext ctx, HttpResponseStatus status, boolean close) {
        return send(ctx, of(status, close));
    }
}
