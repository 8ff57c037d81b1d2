package dev.front.core.http;

import dev.front.config.SiteConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * {@code --server-name}, {@code --server-alias} and {@code --allow-localhost}: a request whose Host (the authority of
 * an absolute-form target has already replaced it) names none of the site's names is refused before it is routed,
 * so neither an alias nor the child ever sees it. The port is not part of the comparison: behind a router the port
 * a client used is seldom the one the front listens on.
 */
public final class HostCheck {

    private final SiteConfig site;
    /** {@code example.com} for a {@code --server-name www.example.com}, redirected to it; else {@code null}. */
    private final String parentDomain;

    public HostCheck(SiteConfig site) {
        this.site = site;
        this.parentDomain = site.serverName().filter(name -> name.startsWith("www.") && name.length() > 4)
                .map(name -> name.substring(4)).orElse(null);
    }

    /** True when there is something to check: a {@code --server-name} was given. */
    public boolean active() {
        return site.checksHost();
    }

    /**
     * Why {@code request} from {@code peer} is refused, or {@code null}. Its Host, when it has one, is already known
     * to be well formed ({@link RequestChecks}). An HTTP/1.0 request without Host names no site, so it is refused
     * like a wrong one, as mod_wsgi-express's default virtual host does.
     */
    public Failure refusal(HttpRequest request, SocketAddress peer) {
        if (!site.checksHost() || site.allowLocalhost() && loopback(peer)) {
            return null;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null) {
            return Failure.misdirected(null, site.serverName().orElseThrow());
        }
        return site.servesHost(withoutPort(host)) ? null : Failure.misdirected(host, site.serverName().orElseThrow());
    }

    /**
     * Where a request for the parent domain of a {@code www.} server name is sent, as mod_wsgi-express does with a
     * permanent redirect; {@code null} for any other request. The location has no scheme ({@code //host/path}), so
     * the browser keeps the one it used: behind a router that ends TLS the front cannot see it. The port the client
     * gave stays; the path and query are the request's.
     */
    public String parentDomainRedirect(HttpRequest request, String originForm) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (parentDomain == null || host == null) {
            return null;
        }
        String name = withoutPort(host);
        String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (!bare.equalsIgnoreCase(parentDomain)) {
            return null;
        }
        return "//" + site.serverName().orElseThrow() + host.substring(name.length()) + originForm;
    }

    static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host : host.substring(0, close + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static boolean loopback(SocketAddress peer) {
        return peer instanceof InetSocketAddress address && address.getAddress() != null
                && address.getAddress().isLoopbackAddress();
    }
}
