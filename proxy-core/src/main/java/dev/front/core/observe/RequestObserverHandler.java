package dev.front.core.observe;

import dev.front.core.connection.RequestAttributes;
import dev.front.core.connection.RouteKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Watches one client connection from just before the router: each request head and body going in, each response
 * head, body (buffers and file regions) and end going out. When a response's last write completes (or the connection
 * ends first) it records the request in the metrics and, with {@code --access-log}, in the access log. Responses
 * come in request order (HTTP/1.1 pipelining), so requests wait in a FIFO for theirs. It changes nothing it passes on.
 */
final class RequestObserverHandler extends ChannelDuplexHandler {

    /** A request whose response is not complete yet. */
    private static final class Pending {
        final long startNanos = System.nanoTime();
        final String method;
        final String target;
        final String protocol;
        final HttpHeaders requestHeaders;
        final String client;
        long bytesIn;
        long bytesOut;
        int status;
        RouteKind route = RouteKind.FRONT;
        String errorId;
        String requestId;
        HttpHeaders responseHeaders;

        Pending(String method, String target, String protocol, HttpHeaders requestHeaders, String client) {
            this.method = method;
            this.target = target;
            this.protocol = protocol;
            this.requestHeaders = requestHeaders;
            this.client = client;
        }
    }

    private static final String HTTP2 = "HTTP/2.0";

    private final FrontMetrics metrics;
    private final AccessLog accessLog;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>(2);
    /** A 100 Continue (or other 1xx) is on its way out: its parts belong to no request's final response. */
    private boolean informational;

    /** @param accessLog {@code null} without {@code --access-log} */
    RequestObserverHandler(FrontMetrics metrics, AccessLog accessLog) {
        this.metrics = metrics;
        this.accessLog = accessLog;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!(ctx.channel() instanceof Http2StreamChannel)) {
            metrics.connectionOpened(); // a stream is not a connection: its connection's own observer counts that
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            ctx.channel().attr(RequestAttributes.ROUTE).set(null);
            // The client address is derived only for the log: the policy copies the headers, which metrics skip.
            String client = accessLog == null ? null : accessLog.clientAddress(ctx.channel(), request.headers());
            // An HTTP/2 stream's request is shaped as HTTP/1.1 for the handlers; the log says what the client spoke.
            String protocol = ctx.channel() instanceof Http2StreamChannel ? HTTP2 : request.protocolVersion().text();
            Pending current = new Pending(request.method().name(), request.uri(), protocol,
                    request.headers(), client);
            current.requestId = ctx.channel().attr(RequestAttributes.REQUEST_ID).get(); // set just before, inbound
            pending.addLast(current);
        }
        if (msg instanceof HttpContent content && !pending.isEmpty()) {
            pending.peekLast().bytesIn += content.content().readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (!informational) {
                head(ctx, response);
            }
        }
        if (informational) {
            informational = !(msg instanceof LastHttpContent);
            ctx.write(msg, promise);
            return;
        }
        Pending current = pending.peekFirst();
        if (current != null) {
            current.bytesOut += bodyBytes(msg);
            if (msg instanceof LastHttpContent) {
                pending.removeFirst();
                promise = promise.unvoid();
                promise.addListener((ChannelFutureListener) f -> done(ctx, current, f.isSuccess()));
            }
        }
        ctx.write(msg, promise);
    }

    private void head(ChannelHandlerContext ctx, HttpResponse response) {
        Pending current = pending.peekFirst();
        if (current == null) {
            // An answer to nothing the front read whole (it cannot be logged against a request): log it as such.
            current = new Pending("-", "-", "-", EmptyHttpHeaders.INSTANCE,
                    accessLog == null ? null : AccessLog.peerAddress(ctx.channel()));
            pending.addFirst(current);
        }
        current.status = response.status().code();
        current.responseHeaders = response.headers();
        RouteKind route = ctx.channel().attr(RequestAttributes.ROUTE).get();
        current.route = route == null ? RouteKind.FRONT : route;
        current.errorId = ctx.channel().attr(RequestAttributes.ERROR_ID).getAndSet(null);
    }

    private static long bodyBytes(Object msg) {
        return switch (msg) {
            case ByteBufHolder holder -> holder.content().readableBytes(); // HttpContent, FullHttpResponse
            case ByteBuf buf -> buf.readableBytes(); // chunks of a file read by a ChunkedWriteHandler
            case FileRegion region -> region.count() - region.transferred(); // sendfile
            default -> 0;
        };
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Requests still waiting for (the rest of) a response were cut short.
        for (Pending current; (current = pending.pollFirst()) != null; ) {
            done(ctx, current, false);
        }
        if (!(ctx.channel() instanceof Http2StreamChannel)) {
            metrics.connectionClosed();
        }
        ctx.fireChannelInactive();
    }

    private void done(ChannelHandlerContext ctx, Pending p, boolean complete) {
        long nanos = System.nanoTime() - p.startNanos;
        metrics.request(p.route, complete ? p.status : 0, nanos, p.bytesIn, p.bytesOut);
        if (accessLog != null) {
            // The wall-clock start, derived here: a request without an access log reads that clock not at all.
            long startMillis = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(nanos);
            accessLog.log(new RequestRecord(startMillis, p.client, AccessLog.peerAddress(ctx.channel()), p.method,
                    p.target, p.protocol, p.status, complete, p.bytesIn, p.bytesOut, nanos, p.route, p.errorId,
                    p.requestId, p.requestHeaders,
                    p.responseHeaders));
        }
    }
}
