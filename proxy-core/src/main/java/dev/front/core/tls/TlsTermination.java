package dev.front.core.tls;

import dev.front.config.Limits;
import dev.front.core.connection.HandlerNames;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SniHandler;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The TLS listener's part of each connection's pipeline: in front, the certificate chosen by SNI and the handshake;
 * after it, whatever protocol ALPN chose. One for all connections.
 */
public final class TlsTermination {

    /**
     * The largest ClientHello read before a certificate is chosen: hellos are a few hundred bytes to about 2 KiB
     * (post-quantum key shares, many extensions); far more is a client wasting the front's memory.
     */
    static final int MAX_CLIENT_HELLO_LENGTH = 16 * 1024;
    /** When {@code --header-timeout} is 0 (no limit on heads), a handshake still gets one. */
    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final TlsCertificates certificates;
    private final long handshakeTimeoutMillis;
    private final HstsHandler hsts;

    /**
     * @param limits the handshake must end within {@code --header-timeout}: it comes before the request head and a
     *               client that stalls in it holds a connection the same way
     */
    public TlsTermination(TlsCertificates certificates, Limits limits, Optional<String> hstsPolicy) {
        this.certificates = certificates;
        Duration timeout = limits.headerTimeout().isZero() ? DEFAULT_HANDSHAKE_TIMEOUT : limits.headerTimeout();
        this.handshakeTimeoutMillis = timeout.toMillis();
        this.hsts = hstsPolicy.map(HstsHandler::new).orElse(null);
    }

    /**
     * Adds the TLS handlers to a new connection's pipeline; after the handshake, {@code http1} adds the HTTP/1.1
     * ones, or {@code http2} (null without {@code --http2}) the HTTP/2 ones when ALPN chose h2.
     */
    public void addTo(ChannelPipeline pipeline, Consumer<ChannelPipeline> http1, Consumer<ChannelPipeline> http2) {
        pipeline.addLast(HandlerNames.TLS, new SniHandler(certificates.mapping(), MAX_CLIENT_HELLO_LENGTH,
                handshakeTimeoutMillis));
        pipeline.addLast(HandlerNames.ALPN, new TlsNegotiation(http1, http2));
    }

    /** The handler that adds Strict-Transport-Security, or {@code null} without {@code --hsts-policy}. */
    public ChannelHandler hsts() {
        return hsts;
    }
}
