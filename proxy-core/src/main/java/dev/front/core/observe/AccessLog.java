package dev.front.core.observe;

import dev.front.config.IpAddresses;
import dev.front.core.connection.ClientAddress;
import dev.front.core.trust.ProxyHeaderPolicy;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The access log ({@code --access-log}): one line per request in the chosen format, written to stdout off the event
 * loop. It also derives the client address each line names, with the same forwarded-header policy as forwarding,
 * so the log and the child agree on who the client was, for static files too.
 */
public final class AccessLog implements AutoCloseable {

    /** Lines that may wait for a slow stdout before new ones are dropped (about 4 MiB of typical lines). */
    private static final int QUEUE_LINES = 16_384;

    private final AccessLogFormat format;
    private final ProxyHeaderPolicy policy;
    private final int listenerPort;
    private final AsyncLineWriter writer;

    /**
     * @param format       {@code common}, {@code combined}, {@code json} or a pattern
     * @param listenerPort the public port, as the forwarding code passes it to the policy
     * @throws IllegalArgumentException naming {@code --access-log-format} when the pattern is not understood
     */
    public AccessLog(String format, ProxyHeaderPolicy policy, int listenerPort, OutputStream out,
                     FrontMetrics metrics) {
        this.format = AccessLogFormat.parse(format);
        this.policy = policy;
        this.listenerPort = listenerPort;
        this.writer = new AsyncLineWriter(out, QUEUE_LINES, metrics::accessLogDropped);
    }

    /** The client address of a request on {@code channel}, as the child is told it in X-Forwarded-For. */
    String clientAddress(Channel channel, HttpHeaders requestHeaders) {
        SocketAddress remote = ClientAddress.of(channel);
        if (!(remote instanceof InetSocketAddress peer)) {
            return String.valueOf(remote);
        }
        if (policy.evaluate(peer, listenerPort, requestHeaders) instanceof ProxyHeaderPolicy.Result.Forward f) {
            return f.facts().clientAddress();
        }
        // Strict mode refused the forwarding headers (the request gets a 400): the peer is all that is known.
        return peerAddress(channel);
    }

    /** The peer's address in the policy's canonical text (IPv4-mapped IPv6 unmapped, RFC 5952). */
    static String peerAddress(Channel channel) {
        SocketAddress remote = ClientAddress.of(channel);
        return remote instanceof InetSocketAddress peer && peer.getAddress() != null
                ? ProxyHeaderPolicy.format(IpAddresses.unmapped(peer.getAddress().getAddress()))
                : String.valueOf(remote);
    }

    void log(RequestRecord record) {
        writer.write(format.format(record));
    }

    @Override
    public void close() {
        writer.close();
    }
}
