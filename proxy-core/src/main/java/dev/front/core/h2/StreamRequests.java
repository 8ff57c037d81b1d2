package dev.front.core.h2;

import dev.front.core.http.RequestChecks;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Makes the requests of an HTTP/2 stream look like those the HTTP/1.1 codec gives, so that everything behind it
 * (request checks, forwarding, static files, access log) answers them the same way: a request that came whole in
 * one HEADERS frame goes on as its head and then its end, as the router expects; and the {@code x-http2-*} headers
 * Netty's conversion adds ({@code :scheme}, the stream id) never reach the child: the front says the scheme through
 * its forwarded-header policy, as for HTTP/1.1. {@code :authority} has become {@code Host}. A target longer than
 * HTTP/1.1's request line may be is refused the same way (414).
 */
final class StreamRequests extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            dropExtensionHeaders(request.headers());
            if (request.decoderResult().isSuccess()
                    && request.method().name().length() + request.uri().length() > RequestChecks.MAX_REQUEST_LINE) {
                // HTTP/1.1's codec refuses such a request line (414); HTTP/2 has no line, only :method and :path
                request.setDecoderResult(DecoderResult.failure(new TooLongHttpLineException(
                        "the target is over " + RequestChecks.MAX_REQUEST_LINE + " bytes")));
            }
        }
        if (msg instanceof FullHttpRequest full) {
            HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
            head.setDecoderResult(full.decoderResult());
            ctx.fireChannelRead(head);
            ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            return;
        }
        ctx.fireChannelRead(msg);
    }

    static void dropExtensionHeaders(HttpHeaders headers) {
        for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
            headers.remove(name.text());
        }
    }
}
