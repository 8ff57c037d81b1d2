package dev.front.core.upstream;

import dev.front.core.websocket.TunnelCap;
import dev.front.core.websocket.WebSocketHandshake;
import dev.front.core.websocket.WebSocketTunnel;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.time.Duration;

/**
 * A WebSocket handshake the front forwards as one. It holds a place under {@code --max-websockets} from before it is
 * sent until the child answers; the child's 101 that accepts it turns the client and child connections into a
 * {@link WebSocketTunnel}, which takes the place over. Any other answer frees the place.
 */
final class ForwardedHandshake {

    private final HttpRequest request;
    private TunnelCap.Permit permit;
    private HttpResponse switching;

    ForwardedHandshake(HttpRequest request, TunnelCap.Permit permit) {
        this.request = request;
        this.permit = permit;
    }

    /** Whether {@code response}, a 101, accepts this handshake; if so it is kept for the client. */
    boolean acceptedBy(HttpResponse response) {
        if (!WebSocketHandshake.accepted(request, response)) {
            return false;
        }
        switching = response;
        return true;
    }

    /** Opens the tunnel after an accepted 101: the client gets its 101, the tunnel owns the child and the place. */
    void tunnel(Channel client, Channel child, Duration socketTimeout) {
        TunnelCap.Permit place = permit;
        permit = null;
        WebSocketTunnel.open(client, child, WebSocketHandshake.switchingProtocols(switching), place, socketTimeout);
    }

    /** The child answered otherwise, or the exchange ended: the place is free again. */
    void release() {
        if (permit != null) {
            permit.release();
            permit = null;
        }
    }
}
