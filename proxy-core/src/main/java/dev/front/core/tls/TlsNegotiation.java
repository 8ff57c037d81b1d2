package dev.front.core.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the TLS handshake, then adds the pipeline of the protocol ALPN chose (h2 with {@code --http2}, else
 * HTTP/1.1, also when the client offered nothing) behind itself and starts it. A failed handshake (an old protocol, no common suite, a
 * timeout, plain HTTP on the TLS port) closes the connection quietly: such clients are common and each would
 * otherwise be a warning line with a stack trace.
 */
final class TlsNegotiation extends ApplicationProtocolNegotiationHandler {

    private static final Logger LOG = LoggerFactory.getLogger("front.tls");

    private final Consumer<ChannelPipeline> http1;
    private final Consumer<ChannelPipeline> http2;

    /**
     * @param http1 adds the HTTP/1.1 handlers at the end of a pipeline
     * @param http2 adds the HTTP/2 ones; {@code null} without {@code --http2} (h2 is then never offered)
     */
    TlsNegotiation(Consumer<ChannelPipeline> http1, Consumer<ChannelPipeline> http2) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.http1 = http1;
        this.http2 = http2;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        // Auto-read is off and the HTTP/1.1 handlers, which ask for reads, come only after the handshake.
        ctx.read();
        super.channelActive(ctx);
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol) && http2 != null) {
            http2.accept(ctx.pipeline());
        } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
            http1.accept(ctx.pipeline());
        } else {
            ctx.close(); // never offered: ALPN with NO_ADVERTISE cannot select anything else
            return;
        }
        // The new handlers missed the connection's activation: they count it and ask for the first request now.
        ctx.fireChannelActive();
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("TLS connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
