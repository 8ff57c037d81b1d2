package dev.front.core.tls;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;

/**
 * {@code --hsts-policy}: adds {@code Strict-Transport-Security} to every final response on the TLS listener (never
 * on plain HTTP, where browsers ignore it, RFC 6797 8.1), unless the child set its own. Stateless: one for all
 * connections.
 */
@ChannelHandler.Sharable
final class HstsHandler extends ChannelOutboundHandlerAdapter {

    static final AsciiString STRICT_TRANSPORT_SECURITY = AsciiString.cached("Strict-Transport-Security");

    private final AsciiString value;

    HstsHandler(String value) {
        this.value = AsciiString.cached(value);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().code() >= 200
                && !response.headers().contains(STRICT_TRANSPORT_SECURITY)) {
            response.headers().set(STRICT_TRANSPORT_SECURITY, value);
        }
        ctx.write(msg, promise);
    }
}
