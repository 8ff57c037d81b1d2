package dev.front.core.connection;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.ArrayDeque;

/**
 * Keeps a client connection open after a response unless the request or the response ends it, or the response
 * could only be delimited by closing. Netty's {@code HttpServerKeepAliveHandler} does the same but counts a 304 (and
 * the answer to a HEAD) without Content-Length as not self-delimited and closes (netty issue 10868); here every
 * response that by RFC 9112 §6.3 has no body is self-delimited: 1xx, 204, 304 and any answer to HEAD.
 *
 * <p>An HTTP/1.0 client knows no chunked coding (RFC 9112 6.1), so a response to it that would be chunked goes out
 * as it comes and ends with the connection; and it keeps a connection only when the response says
 * {@code Connection: keep-alive}, which is added whenever the connection stays open.
 */
public final class KeepAliveHandler extends ChannelDuplexHandler {

    /** A request still waiting for its final response. */
    private record Pending(boolean head, boolean http10) {
    }

    /** The requests still waiting for their final responses, oldest first (pipelining). */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>(2);
    /** False once a request or response has asked to close; the responses already owed are still sent. */
    private boolean persistent = true;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && persistent) {
            pending.addLast(new Pending(HttpMethod.HEAD.equals(request.method()),
                    request.protocolVersion().equals(HttpVersion.HTTP_1_0)));
            persistent = HttpUtil.isKeepAlive(request);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            Pending request = pending.pollFirst();
            boolean http10 = request != null && request.http10();
            if (http10) {
                response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            }
            if (!HttpUtil.isKeepAlive(response) || !selfDelimited(response, request != null && request.head())) {
                pending.clear();
                persistent = false;
            }
            if (!keepAlive()) {
                HttpUtil.setKeepAlive(response, false);
            } else if (http10) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
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
        return persistent || !pending.isEmpty();
    }

    /** The client can tell where this response ends without the connection closing (RFC 9112 §6.3). */
    static boolean selfDelimited(HttpResponse response, boolean toHead) {
        int code = response.status().code();
        return toHead || code == 204 || code == 304 || response.status().codeClass() == HttpStatusClass.INFORMATIONAL
                || HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response);
    }
}
