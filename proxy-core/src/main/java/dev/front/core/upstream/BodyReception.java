package dev.front.core.upstream;

import dev.front.core.http.Failure;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first state of a forwarded request: its body read from the client one piece at a time into a
 * {@link RequestBody}, each piece within {@code --body-timeout}, the whole within {@code --limit-request-body}. It
 * ends with the whole body handed to its {@link Outcome}, or with a refusal after which the connection must close
 * (the rest of the body is unread). The next piece is asked for only when the last one is stored: that is the
 * backpressure on an upload.
 */
final class BodyReception {

    /** Where the body goes when it is whole, and what the front answers when it is refused. */
    interface Outcome {
        void whole(RequestBody body);

        void refused(Failure failure);
    }

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final ForwardingService service;
    private final Runnable readMore;
    private final Outcome outcome;
    private RequestBody body;
    private ScheduledFuture<?> timer;
    /** Counts reads asked for and pieces received, to tell whether a piece came within {@link #readNext}. */
    private long reads;
    private boolean over;

    BodyReception(ChannelHandlerContext ctx, HttpRequest request, ForwardingService service, Runnable readMore,
                  Outcome outcome) {
        this.ctx = ctx;
        this.request = request;
        this.service = service;
        this.readMore = readMore;
        this.outcome = outcome;
    }

    void begin() {
        long limit = service.limits().limitRequestBody();
        long declared = HttpUtil.getContentLength(request, -1L);
        if (declared > limit) {
            // Refused before the body: no 100 Continue, and the unread body makes the connection unusable.
            refuse(Failure.declaredBodyTooLarge(declared, limit));
            return;
        }
        // HTTP/1.0 defines no Expect: ignored there (RFC 9110 10.1.1 for 100-continue; nginx ignores it whole), and
        // removed from what the child receives like on 1.1.
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && request.headers().contains(HttpHeaderNames.EXPECT)) {
            if (!HttpUtil.is100ContinueExpected(request)) {
                refuse(Failure.expectation(request.headers().get(HttpHeaderNames.EXPECT)));
                return;
            }
            // The front accepts the body itself; the child never sees Expect.
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        body = new RequestBody(ctx.alloc(), ctx.executor(), service.config().clientBodyBufferSize(),
                service.config().tempDirectory());
        readNext();
    }

    /**
     * Asks for the next piece, which must come within {@code --body-timeout}. The timer is needed only when the
     * piece is not there already: a small request's end usually came with its head.
     */
    private void readNext() {
        cancelTimer();
        long asked = ++reads;
        readMore.run();
        if (reads == asked && !over) {
            timer = ctx.executor().schedule(this::timedOut, service.limits().bodyTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    void content(HttpContent content) {
        if (over) {
            content.release();
            return;
        }
        cancelTimer();
        reads++;
        boolean last = content instanceof LastHttpContent;
        ByteBuf data = content.content().retain();
        content.release(); // trailers, if any, are dropped: never forwarded
        long limit = service.limits().limitRequestBody();
        if (body.length() + data.readableBytes() > limit) {
            data.release();
            refuse(Failure.bodyTooLarge(limit));
            return;
        }
        if (!data.isReadable()) {
            data.release();
            stored(last);
            return;
        }
        body.append(data, () -> stored(last), cause -> {
            if (!over) {
                refuse(Failure.bodyNotBuffered(service.config().tempDirectory(), cause));
            }
        });
    }

    private void stored(boolean last) {
        if (over) {
            return;
        }
        if (!last) {
            readNext();
            return;
        }
        over = true;
        RequestBody whole = body;
        body = null;
        whole.complete();
        outcome.whole(whole);
    }

    private void timedOut() {
        if (!over) {
            refuse(Failure.bodyTimeout(service.limits().bodyTimeout()));
        }
    }

    private void refuse(Failure failure) {
        over = true;
        cancelTimer();
        outcome.refused(failure);
    }

    /** The exchange ended another way (the client left, or the front answered): no timer left, the part freed. */
    void stop() {
        over = true;
        cancelTimer();
        if (body != null) {
            body.release();
            body = null;
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
