package dev.front.core.connection;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The client's address for everything that judges or reports the client (forwarding headers, access log, request
 * id trust, host check, https-only): the TCP peer, unless the connection began with a PROXY protocol header
 * ({@code --proxy-protocol}) that named another client, which then stands in for the peer. The one place that knows
 * an HTTP/2 stream's client is its connection's.
 */
public final class ClientAddress {

    /** The client a PROXY protocol header named, on the connection (never on a stream); unset otherwise. */
    static final AttributeKey<InetSocketAddress> PROXIED = AttributeKey.valueOf("front.proxiedClient");

    private ClientAddress() {
    }

    /** The client of a request or connection on {@code channel}: the PROXY header's, else the TCP peer. */
    public static SocketAddress of(Channel channel) {
        Channel connection = connection(channel);
        InetSocketAddress proxied = connection.attr(PROXIED).get();
        return proxied != null ? proxied : connection.remoteAddress();
    }

    /** Records the client a PROXY protocol header named for the connection {@code connection}. */
    static void proxied(Channel connection, InetSocketAddress client) {
        connection.attr(PROXIED).set(client);
    }

    /** The client connection a channel belongs to: itself, or for an HTTP/2 stream its parent. */
    public static Channel connection(Channel channel) {
        return channel instanceof Http2StreamChannel ? channel.parent() : channel;
    }
}
