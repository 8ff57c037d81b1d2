package dev.front.core.tls;

import dev.front.core.connection.ClientAddress;
import dev.front.core.connection.ListenerFacts;
import dev.front.core.trust.ProxyHeaderPolicy;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * {@code --https-only} on the plain listener: every request is answered with a permanent redirect to the same host,
 * path and query on the TLS listener: 301 for GET and HEAD, 308 for the other methods (which must be repeated with
 * their body). A request a trusted proxy (the {@code --trust-proxy} rules) says came in over https is not
 * redirected: that proxy terminated TLS already, and redirecting would loop. The host is the request's (with
 * {@code --server-name}, the host check has let only the site's names through), else the server name, else the
 * listener's address.
 */
public final class HttpsRedirect {

    private final int httpsPort;
    private final ProxyHeaderPolicy policy;
    private final ListenerFacts plain;
    /** {@code --server-name}: the host of a request that named none (HTTP/1.0); else empty. */
    private final Optional<String> serverName;

    public HttpsRedirect(int httpsPort, ProxyHeaderPolicy policy, ListenerFacts plain, Optional<String> serverName) {
        this.httpsPort = httpsPort;
        this.policy = policy;
        this.plain = plain;
        this.serverName = serverName;
    }

    /** True when {@code request} gets the redirect rather than its answer. */
    public boolean redirects(ChannelHandlerContext ctx, HttpRequest request) {
        if (!(ClientAddress.of(ctx.channel()) instanceof InetSocketAddress peer)) {
            return true;
        }
        return !(policy.evaluate(peer, plain, request.headers()) instanceof ProxyHeaderPolicy.Result.Forward forward
                && forward.facts().scheme().equals("https"));
    }

    /** Writes the redirect to {@code originForm} (the request's path and query) on the host it asked for. */
    public ChannelFuture redirect(ChannelHandlerContext ctx, HttpRequest request, String originForm) {
        HttpResponseStatus status = request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD)
                ? HttpResponseStatus.MOVED_PERMANENTLY : HttpResponseStatus.PERMANENT_REDIRECT;
        String named = request.headers().get(HttpHeaderNames.HOST);
        String host = (named == null || named.isEmpty()) && serverName.isPresent() ? serverName.get()
                : hostName(named, ctx);
        String location = "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + originForm;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers()
                .set(HttpHeaderNames.LOCATION, location)
                .set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
        return ctx.writeAndFlush(response);
    }

    /** The Host header without its port (an IPv6 literal keeps its brackets); the listener's address without one. */
    static String hostName(String hostHeader, ChannelHandlerContext ctx) {
        if (hostHeader == null || hostHeader.isEmpty()) {
            InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
            String address = local.getAddress().getHostAddress();
            return address.indexOf(':') >= 0 ? "[" + address.replaceFirst("%.*$", "") + "]" : address;
        }
        if (hostHeader.startsWith("[")) {
            int end = hostHeader.indexOf(']');
            return end < 0 ? hostHeader : hostHeader.substring(0, end + 1);
        }
        int colon = hostHeader.indexOf(':');
        return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
    }
}
