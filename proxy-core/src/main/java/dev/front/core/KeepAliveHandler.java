package dev.front.core;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.ArrayDeque;

/**
 * Keeps a client connection open after a response unless the request or the response ends it, or the response
 * could only be delimited by closing. Netty's {@code HttpServerKeepAliveHandler} does the same but counts a 304 (and
 * the answer to a HEAD) without Content-Length as not self-delimited and closes (netty issue 10868); here every
 * response that by RFC 9112 §6.3 has no body is self-delimited: 1xx, 204, 304 and any answer to HEAD.
 */
final class KeepAliveHandler extends ChannelDuplexHandler {

    /** Whether each request still waiting for its final response was a HEAD, oldest first (pipelining). */
    private final ArrayDeque<Boolean> pendingHead = new ArrayDeque<>(2);
    /** False once a request or response has asked to close; the responses already owed are still sent. */
    private boolean persistent = true;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && persistent) {
            pendingHead.addLast(HttpMethod.HEAD.equals(request.method()));
            persistent = HttpUtil.isKeepAlive(request);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            Boolean head = pendingHead.pollFirst();
            if (!HttpUtil.isKeepAlive(response) || !selfDelimited(response, head != null && head)) {
                pendingHead.clear();
                persistent = false;
            }
            if (!keepAlive()) {
                HttpUtil.setKeepAlive(response, false);
            }
        }
        if (msg instanceof LastHttpContent && !keepAlive()) {
            promise = promise.unvoid();
            promise.addListener(LingeringClose.AFTER_WRITE);
        }
        ctx.write(msg, promise);
    }

    /** Responses are still owed on this connection, or nothing has asked to close it. */
    private boolean keepAlive() {
        return persistent || !pendingHead.isEmpty();
    }

    /** The client can tell where this response ends without the connection closing (RFC 9112 §6.3). */
    static boolean selfDelimited(HttpResponse response, boolean toHead) {
        int code = response.status().code();
        return toHead || code == 204 || code == 304 || response.status().codeClass() == HttpStatusClass.INFORMATIONAL
                || HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response);
    }
}
