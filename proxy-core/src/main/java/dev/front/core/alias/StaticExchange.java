package dev.front.core.alias;

import dev.front.core.connection.ErrorResponses;
import dev.front.core.connection.Exchange;
import dev.front.core.http.Failure;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A request under an alias (or to the 404 of a front that forwards nowhere): drain the (rare) request body, then let
 * the alias service answer. The body is read and dropped before the answer, so a client that sends all its body
 * before reading is never caught writing while the answer waits for it to read; it is bounded as a forwarded body
 * is: each piece must come within {@code --body-timeout} (else 408 and close), and the whole within
 * {@code --limit-request-body} (else 413 and close, before any of it is read when Content-Length says so).
 */
public final class StaticExchange implements Exchange {

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final AliasRequest target;
    private final AliasService service;
    private final Runnable readMore;
    private final ChannelPromise done;
    private final long bodyTimeoutNanos;
    private final long limitRequestBody;
    private ScheduledFuture<?> timer;
    /** Counts body reads asked for and pieces received, to tell whether a piece came within {@link #readBody}. */
    private long bodyReads;
    private long bodyLength;
    private boolean answering;

    public StaticExchange(ChannelHandlerContext ctx, HttpRequest request, AliasRequest target, AliasService service,
                   Runnable readMore, ChannelPromise done, long bodyTimeoutNanos, long limitRequestBody) {
        this.readMore = readMore;
        this.ctx = ctx;
        this.request = request;
        this.target = target;
        this.service = service;
        this.done = done;
        this.bodyTimeoutNanos = bodyTimeoutNanos;
        this.limitRequestBody = limitRequestBody;
    }

    @Override
    public void begin() {
        if (HttpUtil.getContentLength(request, -1L) > limitRequestBody) {
            // the unread body makes the connection unusable
            refuse(Failure.declaredBodyTooLarge(HttpUtil.getContentLength(request, -1L), limitRequestBody));
            return;
        }
        readBody();
    }

    /** Asks for the next piece; a timer only when it is not there already (a bodiless request's end came with it). */
    private void readBody() {
        long asked = ++bodyReads;
        readMore.run();
        if (bodyReads == asked && !answering && bodyTimeoutNanos > 0) {
            timer = ctx.executor().schedule(this::bodyTimedOut, bodyTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void content(HttpContent content) {
        bodyReads++;
        cancelTimer();
        boolean last = content instanceof LastHttpContent;
        bodyLength += content.content().readableBytes();
        content.release();
        if (answering) {
            return;
        }
        if (bodyLength > limitRequestBody) {
            refuse(Failure.bodyTooLarge(limitRequestBody));
            return;
        }
        if (!last) {
            readBody();
            return;
        }
        answering = true;
        service.serve(ctx, request, target).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                done.trySuccess();
            } else {
                done.tryFailure(f.cause());
            }
        });
    }

    private void bodyTimedOut() {
        timer = null;
        if (!answering) {
            refuse(Failure.bodyTimeout(Duration.ofNanos(bodyTimeoutNanos)));
        }
    }

    /** The front's own answer instead of the alias's; the connection closes after it, the body left unread. */
    private void refuse(Failure failure) {
        answering = true;
        cancelTimer();
        ErrorResponses.send(ctx, failure, true).addListener((ChannelFutureListener) f -> done.tryFailure(
                f.isSuccess() ? new IOException("connection closed after " + failure.status()) : f.cause()));
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void abort() {
        answering = true;
        cancelTimer();
        done.tryFailure(new java.nio.channels.ClosedChannelException());
    }
}
