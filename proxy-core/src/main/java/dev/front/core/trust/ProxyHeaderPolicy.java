package dev.front.core.trust;

import dev.front.config.Cidr;
import dev.front.config.ForwardedConfig;
import dev.front.config.IpAddresses;
import dev.front.config.ProxyHeader;
import dev.front.core.connection.ListenerFacts;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Decides what the upstream may believe about a request's origin (docs/forwarded-headers.md): from the peer,
 * the listener and the request's header lines it derives one client address, scheme, port and (when trusted) host,
 * and builds the header set to forward: every forwarding look-alike, hop-by-hop header and header named in
 * {@code Connection} removed, then exactly one canonical {@code X-Forwarded-For}, {@code -Proto}, {@code -Port}
 * (and {@code -Host}) added. Pure and immutable: one instance serves every event loop.
 *
 * <p>When two trusted headers of one fact are present, the one listed last in {@code --trust-proxy-header} decides,
 * as in mod_wsgi-express; if its value is invalid the fact falls back to the connection's, never to the other
 * header.
 */
public final class ProxyHeaderPolicy {

    /** What to do with one request. */
    public sealed interface Result {
        /**
         * Forward with these headers; {@code facts} is what they say; {@code dropped} is which forwarding headers of
         * the request were not believed, and why ({@link Dropped#NONE} when all were, or there were none).
         */
        record Forward(ProxyHeaderFacts facts, HttpHeaders headers, Dropped dropped) implements Result {
        }

        /** Strict mode only: a forwarding header name or value was invalid; the caller answers 400. */
        record Rejected(String reason) implements Result {
        }
    }

    /** Why a forwarding header of a request was not believed; {@link #label()} is the metric's label value. */
    public enum DropReason {
        /** Named by {@code --trust-proxy-header}, but the peer is not in a {@code --trust-proxy} network. */
        UNTRUSTED_PEER("untrusted_peer"),
        /** Not named by {@code --trust-proxy-header} (or {@code --trusted-hops 0}): never read from anyone. */
        UNTRUSTED_HEADER("untrusted_header"),
        /** Trusted and from a trusted peer, but the value the front had to read was not valid. */
        INVALID("invalid"),
        /**
         * An address list walked to {@code --trusted-hops} trusted proxies with elements left: the client address
         * taken is itself a trusted proxy's, so {@code --trusted-hops} is probably too low.
         */
        TOO_MANY_HOPS("too_many_hops");

        private final String label;

        DropReason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * The forwarding headers of one request that were not believed, one bit mask per {@link DropReason} over the
     * {@link ProxyHeader} ordinals: the fixed set of names {@code --trust-proxy-header} accepts, so a caller may use
     * them as metric labels. Every other look-alike is removed without being counted.
     */
    public record Dropped(int untrustedPeer, int untrustedHeader, int invalid, int tooManyHops) {

        public static final Dropped NONE = new Dropped(0, 0, 0, 0);

        /** The headers dropped for {@code reason}, as a bit mask over {@link ProxyHeader} ordinals. */
        public int headers(DropReason reason) {
            return switch (reason) {
                case UNTRUSTED_PEER -> untrustedPeer;
                case UNTRUSTED_HEADER -> untrustedHeader;
                case INVALID -> invalid;
                case TOO_MANY_HOPS -> tooManyHops;
            };
        }
    }

    private static final ProxyHeader[] PROXY_HEADERS = ProxyHeader.values();

    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
    static final AsciiString X_FORWARDED_PORT = AsciiString.cached("X-Forwarded-Port");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("X-Forwarded-Host");

    /** Hop-by-hop headers (RFC 9110 7.6.1, plus the Proxy-* ones) and every forwarding header of rule 10. */
    static final List<String> ALWAYS_REMOVED = List.of(
            "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
            "Proxy-Authorization", "Proxy-Authenticate",
            "Forwarded", "X-Real-IP", "X-Client-IP", "X-Cluster-Client-IP", "X-Original-Forwarded-For",
            "True-Client-IP", "CF-Connecting-IP", "X-Url-Scheme", "X-Script-Name", "X-Scheme", "X-HTTPS",
            "Front-End-Https", "X-Host",
            // httpoxy: a CGI-style server turns it into HTTP_PROXY, which HTTP client libraries obey.
            "Proxy");
    // Every X-Forwarded-* (X-Forwarded-For/-Proto/-Port/-Host/-Ssl/-Prefix/-Server ...) is removed by prefix.

    /** Output headers are built from names this class checked and values Netty's decoder already validated. */
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private static final int REASON_VALUE_LIMIT = 80;

    private final ProxyHeader[] trusted;
    /** Per fact (by ordinal), a bit mask over {@link #trusted} indices of headers that carry it. */
    private final int[] factMasks = new int[ProxyHeader.Fact.values().length];
    private final HeaderNameTable names;
    private final ClientAddressChain chain;
    private final boolean consumesNothing;
    private final boolean everyPeer;
    private final boolean strict;

    public ProxyHeaderPolicy(ForwardedConfig config) {
        this.trusted = config.headers().toArray(ProxyHeader[]::new);
        CharSequence[] trustedNames = new CharSequence[trusted.length];
        for (int i = 0; i < trusted.length; i++) {
            trustedNames[i] = trusted[i].wireName();
            factMasks[trusted[i].fact().ordinal()] |= 1 << i;
        }
        // Every name --trust-proxy-header accepts is watched: removed like the rest, but the policy can say it dropped it.
        CharSequence[] watched = new CharSequence[PROXY_HEADERS.length];
        for (ProxyHeader header : PROXY_HEADERS) {
            watched[header.ordinal()] = header.wireName();
        }
        this.names = new HeaderNameTable(ALWAYS_REMOVED, trustedNames, watched);
        Cidr[] networks = config.networks().toArray(Cidr[]::new);
        this.chain = new ClientAddressChain(networks, Math.max(config.trustedHops(), 1));
        this.consumesNothing = trusted.length == 0 || config.trustedHops() == 0;
        this.everyPeer = networks.length == 0;
        this.strict = config.strict();
    }

    /**
     * True when no {@code --trust-proxy} was given, so any peer may assert the trusted headers: the launcher logs a
     * startup warning. False when nothing is consumed at all (no {@code --trust-proxy-header}, or
     * {@code --trusted-hops 0}), since then no peer can assert anything and a warning would be noise.
     */
    public boolean trustsEveryPeer() {
        return everyPeer && !consumesNothing;
    }

    /**
     * Derives the forwarding facts for one request and the header set to send the upstream. {@code listenerPort} is
     * the public port the client connected to; the listener's scheme is http. The returned headers are a new
     * {@link HttpHeaders}: the request's headers minus every forwarding equivalent, hop-by-hop header and header
     * named in {@code Connection}, plus exactly one canonical X-Forwarded-For / -Proto / -Port (and -Host only when
     * trusted). Only {@code requestHeaders} is read: trailers are never consulted. In strict mode a bad forwarding
     * header name or value gives {@link Result.Rejected}.
     */
    public Result evaluate(InetSocketAddress peer, int listenerPort, HttpHeaders requestHeaders) {
        return evaluate(peer, ListenerFacts.plain(listenerPort), requestHeaders);
    }

    /**
     * As {@link #evaluate(InetSocketAddress, int, HttpHeaders)}, for a request on {@code listener}: on the TLS
     * listener the scheme is https and the port is that listener's unless a believed header says otherwise, and
     * forwarding headers are read only when the listener {@linkplain ListenerFacts#believesForwarding() believes
     * them} (else they are removed and counted as untrusted headers, as with {@code --trusted-hops 0}).
     */
    public Result evaluate(InetSocketAddress peer, ListenerFacts listener, HttpHeaders requestHeaders) {
        int listenerPort = listener.port();
        boolean consumesNothing = this.consumesNothing || !listener.believesForwarding();
        List<String> connectionNamed = connectionNamed(requestHeaders);
        HttpHeaders out = HEADERS.newHeaders();
        int present = 0;
        int unread = 0;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = requestHeaders.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            CharSequence name = header.getKey();
            int code = names.classify(name);
            if (code == HeaderNameTable.KEEP) {
                if (connectionNamed == null || !isNamedIn(connectionNamed, name)) {
                    out.add(name, header.getValue());
                }
            } else if (code >= 0) {
                present |= 1 << code;
            } else if (code <= HeaderNameTable.WATCHED) {
                unread |= 1 << (HeaderNameTable.WATCHED - code);
            } else if (code == HeaderNameTable.INVALID && strict) {
                return new Result.Rejected("invalid header name: " + clip(name));
            }
        }

        InetAddress peerAddress = peer.getAddress();
        byte[] peerBytes = peerAddress == null ? null : IpAddresses.unmapped(peerAddress.getAddress());
        String clientAddress = null;
        String scheme = null;
        int port = -1;
        String host = null;
        int untrustedPeer = 0;
        int invalid = 0;
        int tooManyHops = 0;
        if (present != 0 && (consumesNothing || peerBytes == null || !chain.isTrusted(peerBytes))) {
            // --trusted-hops 0 trusts no peer by choice: nothing to alarm about, so those count as untrusted headers.
            if (consumesNothing) {
                unread |= ordinals(present);
            } else {
                untrustedPeer = ordinals(present);
            }
        } else if (present != 0) {
            ProxyHeader header = chosen(present, ProxyHeader.Fact.CLIENT_ADDRESS);
            if (header != null) {
                ClientAddressChain.Walk walk = chain.walk(requestHeaders.getAll(header.wireName()), header.syntax());
                if (walk.invalid() != null) {
                    if (strict) {
                        return rejected(header, walk.invalid(), "an IP address, optionally with a port");
                    }
                    invalid |= 1 << header.ordinal();
                }
                if (walk.beyondHops()) {
                    tooManyHops |= 1 << header.ordinal();
                }
                if (walk.client() != null) {
                    clientAddress = format(walk.client());
                }
            }
            header = chosen(present, ProxyHeader.Fact.SCHEME);
            if (header != null) {
                String value = HeaderElements.last(requestHeaders.getAll(header.wireName()));
                if (value != null) {
                    boolean onOff = header.syntax() == ProxyHeader.Syntax.ON_OFF;
                    scheme = onOff ? ProxyHeaderValues.onOff(value) : ProxyHeaderValues.scheme(value);
                    if (scheme == null) {
                        if (strict) {
                            return rejected(header, value, onOff ? "on, off, true, false, 1 or 0" : "http or https");
                        }
                        invalid |= 1 << header.ordinal();
                    }
                }
            }
            header = chosen(present, ProxyHeader.Fact.PORT);
            if (header != null) {
                String value = HeaderElements.last(requestHeaders.getAll(header.wireName()));
                if (value != null) {
                    port = ProxyHeaderValues.port(value);
                    if (port < 0) {
                        if (strict) {
                            return rejected(header, value, "a port 1..65535");
                        }
                        invalid |= 1 << header.ordinal();
                    }
                }
            }
            header = chosen(present, ProxyHeader.Fact.HOST);
            if (header != null) {
                String value = HeaderElements.last(requestHeaders.getAll(header.wireName()));
                if (value != null) {
                    if (ProxyHeaderValues.isHost(value)) {
                        host = value;
                    } else if (strict) {
                        return rejected(header, value, "host[:port]");
                    } else {
                        invalid |= 1 << header.ordinal();
                    }
                }
            }
        }

        if (clientAddress == null) {
            clientAddress = peerBytes != null ? format(peerBytes) : peer.getHostString();
        }
        String listenerScheme = listener.tls() ? ProxyHeaderValues.HTTPS : ProxyHeaderValues.HTTP;
        if (port < 0) {
            port = scheme == null ? listenerPort : ProxyHeaderValues.HTTPS.equals(scheme) ? 443 : 80;
        }
        if (scheme == null) {
            scheme = listenerScheme;
        }
        // Added after the hop-by-hop purge, so a header named in Connection can never remove or change them.
        out.add(X_FORWARDED_FOR, clientAddress);
        out.add(X_FORWARDED_PROTO, scheme);
        out.add(X_FORWARDED_PORT, Integer.toString(port));
        if (host != null) {
            out.add(X_FORWARDED_HOST, host);
        }
        Dropped dropped = (untrustedPeer | unread | invalid | tooManyHops) == 0 ? Dropped.NONE
                : new Dropped(untrustedPeer, unread, invalid, tooManyHops);
        return new Result.Forward(new ProxyHeaderFacts(clientAddress, scheme, port, host), out, dropped);
    }

    /** A mask over {@link #trusted} indices as one over {@link ProxyHeader} ordinals. */
    private int ordinals(int trustedMask) {
        int mask = 0;
        for (int bits = trustedMask; bits != 0; bits &= bits - 1) {
            mask |= 1 << trusted[Integer.numberOfTrailingZeros(bits)].ordinal();
        }
        return mask;
    }

    /** Of the trusted headers present that carry {@code fact}, the one listed last; or {@code null}. */
    private ProxyHeader chosen(int present, ProxyHeader.Fact fact) {
        int candidates = present & factMasks[fact.ordinal()];
        return candidates == 0 ? null : trusted[31 - Integer.numberOfLeadingZeros(candidates)];
    }

    /**
     * The header names listed in {@code Connection} (RFC 9110 7.6.1), or {@code null} when there are none: the
     * usual {@code keep-alive} and {@code close} name nothing that is not removed anyway, so they cost nothing.
     */
    private static List<String> connectionNamed(HttpHeaders headers) {
        List<String> lines = headers.getAll(HttpHeaderNames.CONNECTION);
        if (lines.isEmpty()) {
            return null;
        }
        List<String> named = null;
        HeaderElements elements = new HeaderElements(lines);
        while (elements.previous()) {
            String token = elements.text().substring(elements.start(), elements.end());
            // Host names the resource, not the hop: dropping it would only turn the request into a 400 upstream.
            if (token.equalsIgnoreCase("close") || token.equalsIgnoreCase("keep-alive")
                    || token.equalsIgnoreCase("host")) {
                continue;
            }
            if (named == null) {
                named = new ArrayList<>(2);
            }
            named.add(token);
        }
        return named;
    }

    private static boolean isNamedIn(List<String> named, CharSequence name) {
        for (int i = 0; i < named.size(); i++) {
            if (AsciiString.contentEqualsIgnoreCase(named.get(i), name)) {
                return true;
            }
        }
        return false;
    }

    /** Canonical text: dotted quad, or RFC 5952 IPv6 (compressed, lower case). No name lookup: bytes in. */
    public static String format(byte[] address) {
        if (address.length == 4) {
            // The common case, per request: skip the InetAddress round trip.
            return new StringBuilder(15).append(address[0] & 0xff).append('.').append(address[1] & 0xff).append('.')
                    .append(address[2] & 0xff).append('.').append(address[3] & 0xff).toString();
        }
        try {
            return NetUtil.toAddressString(InetAddress.getByAddress(address));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address length: " + address.length, e);
        }
    }

    private static Result rejected(ProxyHeader header, String value, String expected) {
        return new Result.Rejected(header.wireName() + ": " + clip(value) + " (expected: " + expected + ")");
    }

    /** Header text goes into a log line: keep it short. */
    private static String clip(CharSequence text) {
        return text.length() <= REASON_VALUE_LIMIT ? text.toString()
                : text.subSequence(0, REASON_VALUE_LIMIT) + "...";
    }
}
