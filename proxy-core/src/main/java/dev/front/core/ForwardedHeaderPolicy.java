package dev.front.core;

import dev.front.config.ForwardedConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which forwarding facts the child may believe and builds the header set it receives
 * (shared/spec/forwarded-headers.md). This first version trusts no header: the facts always come from the
 * connection itself, and every forwarding equivalent a client could send is scrubbed.
 */
public final class ForwardedHeaderPolicy {

    /** The outcome for one request. */
    public sealed interface Result {
        record Forward(ForwardedFacts facts, HttpHeaders headers) implements Result {
        }

        record Rejected(String reason) implements Result {
        }
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authorization", "proxy-authenticate");

    private static final Set<String> SPOOFABLE = Set.of("forwarded", "x-real-ip", "x-client-ip",
            "x-cluster-client-ip", "x-original-forwarded-for", "true-client-ip", "cf-connecting-ip", "x-url-scheme",
            "x-script-name", "x-scheme", "x-https", "front-end-https", "x-host", "proxy");

    private final ForwardedConfig config;

    public ForwardedHeaderPolicy(ForwardedConfig config) {
        this.config = config;
    }

    public boolean trustsEveryPeer() {
        return config.trustProxies().isEmpty();
    }

    public Result evaluate(InetSocketAddress peer, int listenerPort, HttpHeaders requestHeaders) {
        Set<String> named = new java.util.HashSet<>();
        for (String connection : requestHeaders.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : connection.split(",")) {
                named.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        HttpHeaders out = new DefaultHttpHeaders();
        for (var header : requestHeaders) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || named.contains(name) || SPOOFABLE.contains(name)
                    || name.startsWith("x-forwarded-") || !isToken(name)) {
                continue;
            }
            out.add(header.getKey(), header.getValue());
        }
        String client = peer.getAddress().getHostAddress();
        out.set("X-Forwarded-For", client);
        out.set("X-Forwarded-Proto", "http");
        out.set("X-Forwarded-Port", listenerPort);
        return new Result.Forward(new ForwardedFacts(client, "http", listenerPort, null), out);
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return !name.isEmpty();
    }
}
