package dev.front.core.connection;

import dev.front.core.http.Failure;
import dev.front.core.http.FailureLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/**
 * The front's own short text answers: 404 when it forwards nowhere, and every failure it answers itself (400, 408,
 * 413, 502, 503, 504 ...), which carry an error id in {@value #ERROR_ID_HEADER}, in the body and in the stderr line
 * that says the cause ({@link FailureLog}).
 */
public final class ErrorResponses {

    /** The response header that carries a failure answer's error id. */
    public static final String ERROR_ID_HEADER = "X-Front-Error-Id";
    /** Told to retry a 503 (a restarting child, a full queue) after this many seconds. */
    private static final FailureLog FAILURES = new FailureLog(LoggerFactory.getLogger("front.errors"),
            System::nanoTime);

    private ErrorResponses() {
    }

    public static FullHttpResponse of(HttpResponseStatus status, boolean close) {
        return of(status, status.code() + " " + status.reasonPhrase() + "\n", close);
    }

    private static FullHttpResponse of(HttpResponseStatus status, String text, boolean close) {
        return of(status, Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII), HttpHeaderValues.TEXT_PLAIN, close);
    }

    private static FullHttpResponse of(HttpResponseStatus status, ByteBuf body, CharSequence type, boolean close) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, type + "; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (close) {
            HttpUtil.setKeepAlive(response, false);
        }
        return response;
    }

    /**
     * The answer to {@code failure}, reported first ({@link #report}): {@code 502 Bad Gateway (error id ...)}, or the
     * {@code --error-document} page of its status for a client that asks for HTML ({@link ErrorPages}); the id in
     * {@value #ERROR_ID_HEADER}, and {@code Retry-After} on a 503.
     */
    public static FullHttpResponse of(Channel client, Failure failure, boolean close) {
        String id = report(client, failure, null);
        HttpResponseStatus status = failure.status();
        ErrorPages pages = client.attr(RequestAttributes.ERROR_PAGES).get();
        String page = pages == null || !Boolean.TRUE.equals(client.attr(RequestAttributes.WANTS_HTML).get()) ? null
                : pages.page(status.code(), id);
        FullHttpResponse response = page != null
                ? of(status, Unpooled.copiedBuffer(page, StandardCharsets.UTF_8), HttpHeaderValues.TEXT_HTML, close)
                : of(status, text(status, id, client.attr(RequestAttributes.REQUEST_ID).get()), close);
        failureHeaders(response.headers(), failure, id);
        return response;
    }

    /**
     * The headers of every failure answer, the front's own and the static file service's: the error id in
     * {@value #ERROR_ID_HEADER}, and {@code Retry-After} when the failure asks for one ({@link Failure#retryAfterSeconds}).
     */
    public static void failureHeaders(HttpHeaders headers, Failure failure, String errorId) {
        headers.set(ERROR_ID_HEADER, errorId);
        int retryAfter = failure.retryAfterSeconds();
        if (retryAfter > 0) {
            headers.setInt(HttpHeaderNames.RETRY_AFTER, retryAfter);
        }
    }

    /** The one-line body of a failure answer; {@code requestId} may be {@code null}. */
    public static String text(HttpResponseStatus status, String errorId, String requestId) {
        return status.code() + " " + status.reasonPhrase() + " (error id " + errorId
                + (requestId == null ? "" : ", request id " + requestId) + ")\n";
    }

    /**
     * Gives {@code failure} its error id, says it on stderr (rate-limited per kind of failure) and puts the id on
     * the client channel for the access log line of the response about to be written. For answers written
     * elsewhere (the static file service), which then carry the id themselves.
     *
     * @param defect a defect's exception, whose stack trace follows the line; {@code null} for a plain failure
     */
    public static String report(Channel client, Failure failure, Throwable defect) {
        String id = FAILURES.report(failure, client.attr(RequestAttributes.REQUEST_ID).get(), defect);
        client.attr(RequestAttributes.ERROR_ID).set(id);
        return id;
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

    public static ChannelFuture send(ChannelHandlerContext ctx, Failure failure, boolean close) {
        return send(ctx, of(ctx.channel(), failure, close));
    }
}
