package dev.front.core.connection;

import io.netty.util.AttributeKey;

/**
 * What the listener that accepted a client connection knows for itself: whether it speaks TLS, the public port, and
 * whether forwarding headers may be believed on it at all. Set once per connection, read when a request is
 * forwarded ({@code trust.ProxyHeaderPolicy}) or redirected to https.
 *
 * @param tls                the connection came in on the TLS listener ({@code --https-port}): its scheme is https
 * @param port               the public port of that listener
 * @param believesForwarding forwarding headers are read here under the {@code --trust-proxy} rules; false on the TLS
 *                           listener without {@code --trust-proxy-headers-on-https}, where the front terminated the
 *                           client's TLS itself and knows the scheme and port better than any header
 */
public record ListenerFacts(boolean tls, int port, boolean believesForwarding) {

    public static final AttributeKey<ListenerFacts> KEY = AttributeKey.valueOf("front.listener");

    /** The plain listener on {@code port}. */
    public static ListenerFacts plain(int port) {
        return new ListenerFacts(false, port, true);
    }
}
