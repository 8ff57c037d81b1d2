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
 *       completion) exactly as the router reads and writes them, and changes nothing</li>
 *   <li>{@link #ROUTER}: static alias or forwarding; the only place that decides</li>
 * </ol>
 * A connection closing after its last response gets {@link #LINGER} in front of all these ({@link LingeringClose}).
 * <p>Upstream (child) connections have {@link #UPSTREAM_CODEC} then {@link #UPSTREAM}; on io_uring
 * {@link #EMPTY_WRITES} comes first ({@code transport.EmptyWriteFilter}).
 * <p>The listener has {@link #ACCEPT_PAUSE} in front of Netty's acceptor ({@code transport.AcceptPause}). The admin
 * listener's connections have {@link #ADMIN_IDLE}, {@link #ADMIN_CODEC}, {@link #ADMIN_AGGREGATOR} and {@link #ADMIN}.
 * <p>A WebSocket tunnel ({@code websocket.WebSocketTunnel}) leaves the client {@link #IDLE} (the tunnel's idle timeout,
 * added then) and {@link #TUNNEL}, and the child connection only {@link #TUNNEL} (after {@link #EMPTY_WRITES} on io_uring).
 */
public final class HandlerNames {

    public static final String REQUEST_WAIT = "requestWait";
    public static final String OBS_FOLD = "obsFold";
    public static final String CODEC = "codec";
    public static final String FLOW = "flow";
    public static final String KEEP_ALIVE = "keepAlive";
    public static final String REQUEST_ID = "requestId";
    public static final String OBSERVER = "observer";
    public static final String ROUTER = "router";
    public static final String LINGER = "linger";
    /** The only handler of a connection over {@code --max-clients}: its 503. */
    public static final String CLIENT_CAP = "clientCap";

    public static final String UPSTREAM_CODEC = "upstreamCodec";
    public static final String UPSTREAM = "upstream";
    public static final String EMPTY_WRITES = "emptyWrites";

    public static final String TUNNEL = "tunnel";
    public static final String IDLE = "idle";

    public static final String ACCEPT_PAUSE = "acceptPause";

    public static final String ADMIN_IDLE = "adminIdle";
    public static final String ADMIN_CODEC = "adminCodec";
    public static final String ADMIN_AGGREGATOR = "adminAggregator";
    public static final String ADMIN = "admin";

    private HandlerNames() {
    }
}
