package dev.front.core;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One forwarded request: receive the whole body, wait for the child, send the request the front rebuilt, relay the
 * response with backpressure. Everything runs on the client channel's event loop, child connection included.
 */
final class ForwardExchange implements Exchange {

    private enum State { RECEIVING, WAITING, SENT, RELAYING, DONE }

    private static final long CONNECT_RETRY_MILLIS = 100;

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final String originForm;
    private final ForwardingService service;
    private final Runnable readMore;
    private final ChannelPromise done;

    private State state = State.RECEIVING;
    private CompositeByteBuf body;
    private FullHttpRequest upstreamRequest;
    private Channel upstream;
    private boolean reused;
    private boolean retried;
    private boolean skippingInformational;
    private boolean upstreamKeepAlive;
    private long queueDeadline;
    private ScheduledFuture<?> timer;

    ForwardExchange(ChannelHandlerContext ctx, HttpRequest request, String originForm, ForwardingService service,
                    Runnable readMore, ChannelPromise done) {
        this.readMore = readMore;
        this.ctx = ctx;
        this.request = request;
        this.originForm = originForm;
        this.service = service;
        this.done = done;
    }

    @Override
    public void begin() {
        long limit = service.limits().limitRequestBody();
        if (HttpUtil.getContentLength(request, -1L) > limit) {
            // Refused before the body: no 100 Continue, and the unread body makes the connection unusable.
            answer(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, true);
            return;
        }
        if (request.headers().contains(HttpHeaderNames.EXPECT)) {
            if (!HttpUtil.is100ContinueExpected(request)) {
                answer(HttpResponseStatus.EXPECTATION_FAILED, true);
                return;
            }
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
        readMore.run();
    }

    @Override
    public void content(HttpContent content) {
        if (state != State.RECEIVING) {
            content.release();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (content.content().isReadable()) {
            body.addComponent(true, content.content().retain());
        }
        content.release(); // trailers, if any, are dropped: never forwarded, never read
        if (body.readableBytes() > service.limits().limitRequestBody()) {
            answer(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, true);
            return;
        }
        if (last) {
            prepare();
        } else {
            readMore.run();
        }
    }

    /** Builds the request the child receives: origin-form, one Content-Length, canonical forwarding headers. */
    private void prepare() {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        ForwardedHeaderPolicy.Result result = service.policy().evaluate(peer, service.listenerPort(), request.headers());
        if (result instanceof ForwardedHeaderPolicy.Result.Rejected) {
            answer(HttpResponseStatus.BAD_REQUEST, true);
            return;
        }
        HttpHeaders headers = ((ForwardedHeaderPolicy.Result.Forward) result).headers();
        headers.remove(HttpHeaderNames.EXPECT)
                .remove(HttpHeaderNames.TRANSFER_ENCODING)
                .remove(HttpHeaderNames.CONTENT_LENGTH);
        if (body.isReadable() || expectsBody(request.method())) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        }
        CompositeByteBuf content = body;
        body = null;
        upstreamRequest = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), originForm, content,
                headers, io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        state = State.WAITING;
        queueDeadline = System.nanoTime() + service.limits().queueTimeout().toNanos();
        timer = ctx.executor().schedule(this::queueTimedOut, service.limits().queueTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
        service.gate().whenOpen(ctx.executor(), this::connect);
    }

    private static boolean expectsBody(HttpMethod method) {
        return method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT) || method.equals(HttpMethod.PATCH);
    }

    private void connect() {
        if (state != State.WAITING) {
            return;
        }
        Channel parked = retried ? null : service.takeParked(ctx.channel());
        if (parked != null) {
            reused = true;
            send(parked);
            return;
        }
        reused = false;
        service.connect(ctx.channel().eventLoop()).addListener((ChannelFutureListener) f -> {
            if (state != State.WAITING) {
                f.channel().close();
            } else if (f.isSuccess()) {
                send(f.channel());
            } else if (service.supervised() && System.nanoTime() + CONNECT_RETRY_MILLIS * 1_000_000 < queueDeadline
                    && f.cause() instanceof ConnectException) {
                // The child is between a crash and its restart: try again until the queue deadline.
                ctx.executor().schedule(this::connect, CONNECT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                answer(service.supervised() ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.BAD_GATEWAY,
                        false);
            }
        });
    }

    private void send(Channel channel) {
        cancelTimer();
        upstream = channel;
        state = State.SENT;
        upstream.pipeline().get(UpstreamHandler.class).attach(this);
        upstream.writeAndFlush(upstreamRequest.retainedDuplicate()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                upstreamClosed(f.cause());
            }
        });
        timer = ctx.executor().schedule(this::requestTimedOut, service.limits().requestTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
        upstream.read();
    }

    void fromUpstream(HttpObject message) {
        if (state != State.SENT && state != State.RELAYING) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpResponse response) {
            if (!responseHead(response)) {
                return;
            }
        }
        if (message instanceof HttpContent content) {
            responseContent(content);
        }
    }

    /** Returns false when the head was consumed here (informational, or refused). */
    private boolean responseHead(HttpResponse response) {
        if (response.decoderResult().isFailure() || state != State.SENT) {
            ReferenceCountUtil.release(response);
            failUpstream(HttpResponseStatus.BAD_GATEWAY);
            return false;
        }
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            ReferenceCountUtil.release(response);
            if (response.status().code() == 101) {
                failUpstream(HttpResponseStatus.BAD_GATEWAY); // no upgrade was asked for
            } else {
                skippingInformational = true; // 100 or 103: the front speaks for itself to the client
            }
            return false;
        }
        cancelTimer();
        state = State.RELAYING;
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        HttpResponse head = relayedHead(response);
        ctx.write(head);
        return true;
    }

    /** The child's response head minus its hop-by-hop headers; the client's keep-alive is the front's decision. */
    private HttpResponse relayedHead(HttpResponse response) {
        HttpHeaders headers = response.headers();
        for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : connection.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.equals("transfer-encoding") && !name.equals("content-length")) {
                    headers.remove(name);
                }
            }
        }
        headers.remove(HttpHeaderNames.CONNECTION)
                .remove(HttpHeaderNames.KEEP_ALIVE)
                .remove("Proxy-Connection")
                .remove(HttpHeaderNames.TE)
                .remove(HttpHeaderNames.TRAILER)
                .remove(HttpHeaderNames.UPGRADE);
        boolean framed = HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response);
        boolean bodyless = request.method().equals(HttpMethod.HEAD) || response.status().code() == 204
                || response.status().code() == 304;
        if (!framed && !bodyless) {
            upstreamKeepAlive = false; // the child ends its body by closing
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (!HttpUtil.isKeepAlive(request)) {
            HttpUtil.setKeepAlive(response, false);
        }
        return response;
    }

    private void responseContent(HttpContent content) {
        if (skippingInformational) {
            if (content instanceof LastHttpContent) {
                skippingInformational = false;
            }
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            truncated();
            return;
        }
        if (!(content instanceof LastHttpContent)) {
            ctx.write(content);
            return;
        }
        if (content.content().isReadable()) {
            ctx.write(new io.netty.handler.codec.http.DefaultHttpContent(content.content().retain()));
        }
        content.release(); // the child's trailers are not passed on
        finish();
    }

    private void finish() {
        state = State.DONE;
        release();
        // Parked before the last write: its completion may start the next pipelined request at once.
        if (upstreamKeepAlive && upstream.isActive()) {
            service.park(ctx.channel(), upstream);
        } else {
            upstream.close();
        }
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                done.trySuccess();
            } else {
                done.tryFailure(f.cause());
            }
        });
    }

    void upstreamReadComplete() {
        if (state == State.RELAYING) {
            ctx.flush();
        }
        if ((state == State.SENT || state == State.RELAYING) && ctx.channel().isWritable()) {
            upstream.read();
        }
    }

    @Override
    public void clientWritable() {
        if (state == State.RELAYING && upstream != null) {
            upstream.read();
        }
    }

    /** The child connection closed or failed (cause {@code null} for a plain close). */
    void upstreamClosed(Throwable cause) {
        switch (state) {
            case SENT -> {
                if (reused && !retried) {
                    // A kept-alive connection the child had already closed: one more try on a fresh one.
                    retried = true;
                    cancelTimer();
                    upstream.pipeline().get(UpstreamHandler.class).detach();
                    upstream.close();
                    state = State.WAITING;
                    connect();
                } else {
                    failUpstream(HttpResponseStatus.BAD_GATEWAY);
                }
            }
            case RELAYING -> truncated();
            default -> {
            }
        }
    }

    /** The response was cut short after its head: pass on what came, then close so the client sees the loss. */
    private void truncated() {
        state = State.DONE;
        release();
        upstream.close();
        ctx.flush();
        ctx.close();
        done.tryFailure(new java.io.IOException("response from the child was truncated"));
    }

    private void failUpstream(HttpResponseStatus status) {
        if (upstream != null) {
            upstream.pipeline().get(UpstreamHandler.class).detach();
            upstream.close();
        }
        answer(status, false);
    }

    private void queueTimedOut() {
        if (state == State.WAITING) {
            answer(HttpResponseStatus.SERVICE_UNAVAILABLE, false);
        }
    }

    private void requestTimedOut() {
        if (state == State.SENT) {
            failUpstream(HttpResponseStatus.GATEWAY_TIMEOUT);
        }
    }

    /** The front's own answer instead of the child's; completes the exchange. */
    private void answer(HttpResponseStatus status, boolean close) {
        state = State.DONE;
        cancelTimer();
        release();
        FullHttpResponse response = ErrorResponses.of(status, close || !HttpUtil.isKeepAlive(request));
        if (status == HttpResponseStatus.SERVICE_UNAVAILABLE) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, 5);
        }
        ChannelFuture written = ErrorResponses.send(ctx, response);
        written.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && !close) {
                done.trySuccess();
            } else {
                done.tryFailure(f.isSuccess() ? new java.io.IOException("connection closed after " + status)
                        : f.cause());
            }
        });
    }

    @Override
    public void abort() {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        cancelTimer();
        release();
        if (upstream != null) {
            upstream.close();
        }
        done.tryFailure(new java.nio.channels.ClosedChannelException());
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void release() {
        if (body != null) {
            body.release();
            body = null;
        }
        if (upstreamRequest != null) {
            upstreamRequest.release();
            upstreamRequest = null;
        }
    }
}
