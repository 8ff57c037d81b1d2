package dev.front.core.connection;

import dev.front.core.http.ClientCodec;


/**
 * Names of the client pipeline's handlers, in pipeline order (read top to bottom for inbound):
 * <ol>
 *   <li>{@link #REQUEST_WAIT}: times the wait for a request: closes a connection idle between requests
 *       ({@code --keep-alive-timeout}); a head must be complete within {@code --header-timeout} of its first byte
 *       (408)</li>
 *   <li>{@link #OBS_FOLD}: refuses folded header lines and a second Content-Length on HTTP/1.0, which the codec
 *       would silently join or drop</li>
 *   <li>{@link #CODEC}: HTTP/1.1 parsing with the front's limits, one message per read asked for (pipelined
 *       requests wait undecoded), and response encoding ({@link ClientCodec})</li>
 *   <li>{@link #FLOW}: hands the router one decoded message per read (one socket read can deliver several)</li>
 *   <li>{@link #KEEP_ALIVE}: the front's own keep-alive decision; closes after a response that ends the connection</li>
 *   <li>{@link #REQUEST_ID}: the request's id (kept from a trusted proxy or made), on the request to the child and
 *       on its response ({@link RequestIdHandler})</li>
 *   <li>{@link #OBSERVER}: access log and request metrics; sees each request and its response (status, body bytes,
 *       completion) exactly as the client gets them (compressed bodies count their compressed bytes), and changes
 *       nothing</li>
 *   <li>{@link #COMPRESS}: with {@code --compress-responses} only, compresses the bodies of responses relayed from the
 *       child ({@code compress.ResponseCompressor})</li>
 *   <li>{@link #ROUTER}: static alias or forwarding; the only place that decides</li>
 * </ol>
 * A connection closing after its last response gets {@link #LINGER} in front of all these ({@link LingeringClose}).
 * <p>With {@code --http2}, {@link #H2_PREFACE} comes first and looks at the first bytes: on the HTTP/2 preface, every
 * handler above but {@link #OBSERVER} (which goes on counting the connection) gives way to {@link #H2_LINGER} (a
 * graceful close lingers, {@link LingeringClose}), {@link #H2_CODEC} (frames,
 * settings, flow control), {@link #H2_CONNECTION} (window, idle, drain) and {@link #H2_MULTIPLEX}, which gives each
 * stream a channel of its own with {@link #H2_STREAM_CODEC} (frames to HTTP/1.1 objects and back),
 * {@link #CHUNKED_WRITER} and {@link #REGION_READER} (file regions as read pieces), {@link #H2_REQUEST}, then
 * {@link #FLOW}, {@link #REQUEST_ID}, {@link #OBSERVER} and {@link #ROUTER} as above. Anything else removes only
 * {@link #H2_PREFACE}.
 * <p>Upstream (child) connections have {@link #UPSTREAM_CODEC} then {@link #UPSTREAM}; on io_uring
 * {@link #EMPTY_WRITES} comes first ({@code transport.EmptyWriteFilter}).
 * <p>With {@code --proxy-protocol}, {@link #PROXY_PROTOCOL} (Netty's PROXY header decoder) and {@link #PROXY_HEADER}
 * ({@link ProxyProtocolHandler}) come before everything, TLS included, and leave once the header is read.
 * <p>The listener has {@link #ACCEPT_PAUSE} in front of Netty's acceptor ({@code transport.AcceptPause}). The admin
 * listener's connections have {@link #ADMIN_IDLE}, {@link #ADMIN_CODEC}, {@link #ADMIN_AGGREGATOR} and {@link #ADMIN}.
 * <p>A WebSocket tunnel ({@code websocket.WebSocketTunnel}) leaves the client {@link #IDLE} (the tunnel's idle timeout,
 * added then) and {@link #TUNNEL}, and the child connection only {@link #TUNNEL} (after {@link #EMPTY_WRITES} on io_uring).
 */
public final class HandlerNames {

    public static final String PROXY_PROTOCOL = "proxyProtocol";
    public static final String PROXY_HEADER = "proxyHeader";
    public static final String REQUEST_WAIT = "requestWait";
    public static final String OBS_FOLD = "obsFold";
    public static final String CODEC = "codec";
    public static final String FLOW = "flow";
    public static final String KEEP_ALIVE = "keepAlive";
    public static final String REQUEST_ID = "requestId";
    public static final String OBSERVER = "observer";
    public static final String COMPRESS = "compress";
    public static final String ROUTER = "router";
    public static final String LINGER = "linger";
    /** The only handler of a connection over {@code --max-clients}: its 503. */
    public static final String CLIENT_CAP = "clientCap";

    public static final String H2_PREFACE = "h2Preface";
    public static final String H2_LINGER = "h2Linger";
    public static final String H2_CODEC = "h2Codec";
    public static final String H2_CONNECTION = "h2Connection";
    public static final String H2_MULTIPLEX = "h2Multiplex";
    public static final String H2_STREAM_CODEC = "h2StreamCodec";
    /**
     * Reads files in chunks where sendfile cannot serve: on an HTTP/2 stream, and on a TLS connection (added there
     * when a spooled child response first needs it).
     */
    public static final String CHUNKED_WRITER = "chunkedWriter";
    public static final String REGION_READER = "regionReader";
    public static final String H2_REQUEST = "h2Request";

    public static final String UPSTREAM_CODEC = "upstreamCodec";
    public static final String UPSTREAM = "upstream";
    public static final String EMPTY_WRITES = "emptyWrites";

    public static final String TUNNEL = "tunnel";
    public static final String IDLE = "idle";

    /** TLS listener only, in front of all the others: the certificate by SNI, then the handshake (Netty's SslHandler). */
    public static final String TLS = "tls";
    /** TLS listener only, until the handshake ends: adds the pipeline of the protocol ALPN chose. */
    public static final String ALPN = "alpn";
    /** TLS listener only, with {@code --hsts-policy}: after {@link #CODEC}, adds Strict-Transport-Security. */
    public static final String HSTS = "hsts";

    public static final String ACCEPT_PAUSE = "acceptPause";

    public static final String ADMIN_IDLE = "adminIdle";
    public static final String ADMIN_CODEC = "adminCodec";
    public static final String ADMIN_AGGREGATOR = "adminAggregator";
    public static final String ADMIN = "admin";

    private HandlerNames() {
    }
}
