package dev.front.core.admin;

import dev.front.core.observe.ReloadOutcome;
import dev.front.core.observe.PrometheusMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The admin listener's answers: {@code /metrics} (Prometheus text), {@code /healthz} (200 while the front's
 * event loops answer at all) and {@code /readyz} (200 when the child is ready and the front is not draining, else
 * 503 with the reason), GET and HEAD only; and {@code POST /reload} from loopback peers. Anything else is 404 or
 * 405.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final String TEXT = HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8";

    private static final String JSON = HttpHeaderValues.APPLICATION_JSON + "; charset=utf-8";

    private final PrometheusMetrics metrics;
    private final ReadyState ready;
    /** {@code null} when the front runs no child: there is nothing to replace. */
    private final ReloadRequests reloads;

    AdminHandler(PrometheusMetrics metrics, ReadyState ready, ReloadRequests reloads) {
        this.metrics = metrics;
        this.ready = ready;
        this.reloads = reloads;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws IOException {
        FullHttpResponse response;
        String path = request.uri();
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.equals("/reload") && request.decoderResult().isSuccess()) {
            reload(ctx, request);
            return;
        }
        boolean known = path.equals("/metrics") || path.equals("/healthz") || path.equals("/readyz");
        if (!request.decoderResult().isSuccess()) {
            response = text(HttpResponseStatus.BAD_REQUEST, "bad request");
        } else if (!known) {
            response = text(HttpResponseStatus.NOT_FOUND, "not found: /metrics, /healthz and /readyz are here");
        } else if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        } else if (path.equals("/metrics")) {
            response = metrics(ctx);
        } else if (path.equals("/healthz")) {
            response = text(HttpResponseStatus.OK, "ok");
        } else {
            String reason = ready.reason();
            response = reason == null ? text(HttpResponseStatus.OK, "ready")
                    : text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready: " + reason);
        }
        send(ctx, response, request.method().equals(HttpMethod.HEAD),
                HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess());
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean head, boolean keepAlive) {
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (head) {
            response.content().clear(); // the length stays that of the GET
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * {@code POST /reload}: replaces the child, answered with the outcome as JSON once it is known. Only from a
     * loopback peer (a shell in the container): the admin port is reachable from the whole pod network, and a
     * replacement briefly doubles the child's memory.
     */
    private void reload(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.method().equals(HttpMethod.POST)) {
            FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed: POST /reload");
            response.headers().set(HttpHeaderNames.ALLOW, "POST");
            send(ctx, response, false, keepAlive);
            return;
        }
        if (!(ctx.channel().remoteAddress() instanceof InetSocketAddress peer) || peer.getAddress() == null
                || !peer.getAddress().isLoopbackAddress()) {
            send(ctx, text(HttpResponseStatus.FORBIDDEN, "forbidden: POST /reload is accepted from loopback peers only"),
                    false, keepAlive);
            return;
        }
        if (reloads == null) {
            send(ctx, text(HttpResponseStatus.CONFLICT, "nothing to reload: the front runs no child"), false, keepAlive);
            return;
        }
        reloads.request("POST /reload").whenComplete((outcome, failure) -> ctx.executor().execute(() -> {
            HttpResponseStatus status = failure != null ? HttpResponseStatus.INTERNAL_SERVER_ERROR
                    : outcome.isReplaced() ? HttpResponseStatus.OK
                    : outcome.result().equals("stopping") ? HttpResponseStatus.SERVICE_UNAVAILABLE
                    : HttpResponseStatus.INTERNAL_SERVER_ERROR;
            String json = failure != null ? new ReloadOutcome("failed", 0, 0, 0, "supervisor", failure.toString())
                    .toJson() : outcome.toJson();
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(json + "\n", StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
            send(ctx, response, false, keepAlive);
        }));
    }

    private FullHttpResponse metrics(ChannelHandlerContext ctx) throws IOException {
        ByteBuf body = ctx.alloc().buffer(16 * 1024);
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            metrics.scrape(out);
        } catch (IOException | RuntimeException e) {
            body.release();
            throw e;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, PrometheusMetrics.CONTENT_TYPE);
        return response;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String text) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT);
        return response;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close(); // a scraper that went away without closing
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
