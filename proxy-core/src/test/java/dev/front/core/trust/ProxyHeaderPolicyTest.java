package dev.front.core.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.config.ForwardedConfig;
import dev.front.core.trust.ProxyHeaderPolicy.Result;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule of docs/forwarded-headers.md, one table row per case. */
class ProxyHeaderPolicyTest {

    private static final int LISTENER = 8080;
    private static final String PEER = "127.0.0.1";

    // ---- the table -------------------------------------------------------------------------------------------------

    /** One case: options, peer, request header lines in arrival order, and the facts the child must see. */
    record Case(String name, Options options, String peer, List<String> lines, ProxyHeaderFacts expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A small builder for the options of one case. */
    record Options(List<String> headerNames, List<String> proxies, int hops, boolean strictMode) {
        static Options trust(String... proxies) {
            return new Options(List.of(), List.of(proxies), 1, false);
        }

        Options headers(String... names) {
            return new Options(List.of(names), proxies, hops, strictMode);
        }

        Options hops(int n) {
            return new Options(headerNames, proxies, n, strictMode);
        }

        Options strict() {
            return new Options(headerNames, proxies, hops, true);
        }

        ForwardedConfig config() {
            return new ForwardedConfig(headerNames, proxies, hops, strictMode);
        }
    }

    private static final Options XFF = Options.trust("127.0.0.1/32").headers("X-Forwarded-For");
    private static final Options ALL = Options.trust("127.0.0.1/32").headers("X-Forwarded-For", "X-Forwarded-Proto",
            "X-Forwarded-Port", "X-Forwarded-Host");

    private static Case row(String name, Options options, String peer, List<String> lines, String client,
                            String scheme, int port, String host) {
        return new Case(name, options, peer, lines, new ProxyHeaderFacts(client, scheme, port, host));
    }

    private static Case row(String name, Options options, List<String> lines, String client, String scheme, int port) {
        return row(name, options, PEER, lines, client, scheme, port, null);
    }

    static Stream<Case> cases() {
        return Stream.of(
            // The examples of the spec.
            row("spec: append mode, two field lines", XFF,
                    List.of("X-Forwarded-For: 6.6.6.6", "X-Forwarded-For: 198.51.100.7"), "198.51.100.7", "http", LISTENER),
            row("spec: append mode, comma list", XFF,
                    List.of("X-Forwarded-For: 6.6.6.6, 198.51.100.7"), "198.51.100.7", "http", LISTENER),
            row("spec: untrusted peer sets nothing", Options.trust("10.99.99.99/32").headers("X-Forwarded-For",
                    "X-Forwarded-Proto"), List.of("X-Forwarded-For: 1.2.3.4", "X-Forwarded-Proto: https"),
                    "127.0.0.1", "http", LISTENER),
            row("spec: proto, last value wins", Options.trust("127.0.0.1/32").headers("X-Forwarded-Proto"),
                    List.of("X-Forwarded-Proto: https", "X-Forwarded-Proto: http"), "127.0.0.1", "http", 80),
            row("spec: underscore names and untrusted Ssl", Options.trust().headers("X-Forwarded-For"),
                    List.of("X-Forwarded-Ssl: on", "X_Forwarded_For: 1.2.3.4", "SCRIPT_NAME: /admin"),
                    "127.0.0.1", "http", LISTENER),
            row("spec: leading zero is not an address", XFF, List.of("X-Forwarded-For: 010.0.0.1"),
                    "127.0.0.1", "http", LISTENER),

            // Rule 4: append-mode duplicates and comma lists.
            row("three lines with lists, rightmost wins", XFF,
                    List.of("X-Forwarded-For: 6.6.6.6, 7.7.7.7", "X-Forwarded-For: 8.8.8.8", "X-Forwarded-For: 9.9.9.9"),
                    "9.9.9.9", "http", LISTENER),
            row("empty elements and whitespace are skipped", XFF,
                    List.of("X-Forwarded-For: 6.6.6.6 ,\t198.51.100.7 , ,", "X-Forwarded-For: ,"),
                    "198.51.100.7", "http", LISTENER),
            row("only empty elements: the peer", XFF, List.of("X-Forwarded-For: , ,"), "127.0.0.1", "http", LISTENER),
            row("spoofed garbage on the left is never read", XFF,
                    List.of("X-Forwarded-For: unknown, <script>, 127.1", "X-Forwarded-For: 198.51.100.7"),
                    "198.51.100.7", "http", LISTENER),
            row("name matched case-insensitively both ways", Options.trust("127.0.0.1/32").headers("x-FORWARDED-for"),
                    List.of("X-FORWARDED-FOR: 198.51.100.7"), "198.51.100.7", "http", LISTENER),

            // Rule 4: hop walking.
            row("two hops, intermediate trusted: one more to the left", Options.trust("127.0.0.1/32", "10.0.0.0/8")
                    .headers("X-Forwarded-For").hops(2),
                    List.of("X-Forwarded-For: 6.6.6.6, 198.51.100.7, 10.1.1.1"), "198.51.100.7", "http", LISTENER),
            row("two hops, intermediate untrusted: it is the client", Options.trust("127.0.0.1/32", "10.0.0.0/8")
                    .headers("X-Forwarded-For").hops(2),
                    List.of("X-Forwarded-For: 6.6.6.6, 10.1.1.1, 198.51.100.7"), "198.51.100.7", "http", LISTENER),
            row("hop count caps the walk even through trusted hops", Options.trust("127.0.0.1/32", "10.0.0.0/8")
                    .headers("X-Forwarded-For").hops(2),
                    List.of("X-Forwarded-For: 6.6.6.6, 10.2.2.2, 10.1.1.1"), "10.2.2.2", "http", LISTENER),
            row("three hops over lines", Options.trust("127.0.0.1/32", "10.0.0.0/8").headers("X-Forwarded-For").hops(3),
                    List.of("X-Forwarded-For: 6.6.6.6, 198.51.100.7", "X-Forwarded-For: 10.2.2.2", "X-Forwarded-For: 10.1.1.1"),
                    "198.51.100.7", "http", LISTENER),
            row("fewer elements than hops: the leftmost", Options.trust("127.0.0.1/32", "10.0.0.0/8")
                    .headers("X-Forwarded-For").hops(5),
                    List.of("X-Forwarded-For: 10.2.2.2, 10.1.1.1"), "10.2.2.2", "http", LISTENER),
            row("invalid element stops the walk: last good value", Options.trust("127.0.0.1/32", "10.0.0.0/8")
                    .headers("X-Forwarded-For").hops(3),
                    List.of("X-Forwarded-For: 6.6.6.6, unknown, 10.1.1.1"), "10.1.1.1", "http", LISTENER),
            row("invalid rightmost: the peer", XFF,
                    List.of("X-Forwarded-For: 198.51.100.7, unknown"), "127.0.0.1", "http", LISTENER),
            row("every peer trusted (no --trust-proxy): two hops take the second from the right",
                    Options.trust().headers("X-Forwarded-For").hops(2),
                    List.of("X-Forwarded-For: 6.6.6.6, 198.51.100.7, 203.0.113.9"), "198.51.100.7", "http", LISTENER),
            row("every peer trusted, default hops: rightmost", Options.trust().headers("X-Forwarded-For"),
                    "192.0.2.50", List.of("X-Forwarded-For: 6.6.6.6, 198.51.100.7"), "198.51.100.7", "http", LISTENER, null),
            row("--trusted-hops 0 trusts nothing", Options.trust().headers("X-Forwarded-For", "X-Forwarded-Proto").hops(0),
                    List.of("X-Forwarded-For: 198.51.100.7", "X-Forwarded-Proto: https"), "127.0.0.1", "http", LISTENER),

            // Rule 5: address syntax.
            row("IPv4 with port", XFF, List.of("X-Forwarded-For: 198.51.100.7:5555"), "198.51.100.7", "http", LISTENER),
            row("IPv6 bare", XFF, List.of("X-Forwarded-For: 2001:DB8:0:0::7"), "2001:db8::7", "http", LISTENER),
            row("IPv6 bracketed", XFF, List.of("X-Forwarded-For: [2001:db8::7]"), "2001:db8::7", "http", LISTENER),
            row("IPv6 bracketed with port", XFF, List.of("X-Forwarded-For: 6.6.6.6, [2001:db8::7]:443"),
                    "2001:db8::7", "http", LISTENER),
            row("IPv4-mapped IPv6 becomes IPv4", XFF, List.of("X-Forwarded-For: ::ffff:198.51.100.7"),
                    "198.51.100.7", "http", LISTENER),
            row("IPv6 zone id rejected", XFF, List.of("X-Forwarded-For: fe80::1%eth0"), "127.0.0.1", "http", LISTENER),
            row("short form 127.1 rejected", XFF, List.of("X-Forwarded-For: 127.1"), "127.0.0.1", "http", LISTENER),
            row("integer form rejected", XFF, List.of("X-Forwarded-For: 2130706433"), "127.0.0.1", "http", LISTENER),
            row("hex form rejected", XFF, List.of("X-Forwarded-For: 0x7f.0.0.1"), "127.0.0.1", "http", LISTENER),
            row("'unknown' rejected", XFF, List.of("X-Forwarded-For: unknown"), "127.0.0.1", "http", LISTENER),
            row("a name is never resolved", XFF, List.of("X-Forwarded-For: localhost"), "127.0.0.1", "http", LISTENER),
            row("quotes rejected", XFF, List.of("X-Forwarded-For: \"198.51.100.7\""), "127.0.0.1", "http", LISTENER),
            row("inner space rejected", XFF, List.of("X-Forwarded-For: 198.51.100. 7"), "127.0.0.1", "http", LISTENER),
            row("port 0 rejected", XFF, List.of("X-Forwarded-For: 198.51.100.7:0"), "127.0.0.1", "http", LISTENER),

            // Rule 3: the other address headers.
            row("X-Real-IP", Options.trust("127.0.0.1/32").headers("X-Real-IP"),
                    List.of("X-Real-IP: 198.51.100.7"), "198.51.100.7", "http", LISTENER),
            row("X-Real-IP appended twice: the last", Options.trust("127.0.0.1/32").headers("X-Real-IP").hops(3),
                    List.of("X-Real-IP: 6.6.6.6", "X-Real-IP: 198.51.100.7"), "198.51.100.7", "http", LISTENER),
            row("X-Client-IP", Options.trust("127.0.0.1/32").headers("X-Client-IP"),
                    List.of("X-Client-IP: [2001:db8::9]"), "2001:db8::9", "http", LISTENER),
            row("Forwarded for=, quoted IPv6 with port", Options.trust("127.0.0.1/32").headers("Forwarded"),
                    List.of("Forwarded: for=6.6.6.6, for=\"[2001:db8:cafe::17]:4711\";proto=https;by=10.0.0.1"),
                    "2001:db8:cafe::17", "http", LISTENER),
            row("Forwarded FOR= any case, OWS around pairs", Options.trust("127.0.0.1/32").headers("Forwarded"),
                    List.of("Forwarded: proto=http; FOR=198.51.100.7 ;by=x"), "198.51.100.7", "http", LISTENER),
            row("Forwarded for=unknown: the peer", Options.trust("127.0.0.1/32").headers("Forwarded"),
                    List.of("Forwarded: for=198.51.100.7, for=unknown"), "127.0.0.1", "http", LISTENER),
            row("Forwarded obfuscated identifier: the peer", Options.trust("127.0.0.1/32").headers("Forwarded"),
                    List.of("Forwarded: for=_hidden"), "127.0.0.1", "http", LISTENER),
            row("Forwarded element without for=: the peer", Options.trust("127.0.0.1/32").headers("Forwarded"),
                    List.of("Forwarded: proto=https"), "127.0.0.1", "http", LISTENER),
            row("Forwarded element with two for=: the peer", Options.trust("127.0.0.1/32").headers("Forwarded"),
                    List.of("Forwarded: for=1.1.1.1;for=198.51.100.7"), "127.0.0.1", "http", LISTENER),
            row("Forwarded walks hops too", Options.trust("127.0.0.1/32", "10.0.0.0/8").headers("Forwarded").hops(2),
                    List.of("Forwarded: for=6.6.6.6, for=198.51.100.7", "Forwarded: for=10.1.1.1"),
                    "198.51.100.7", "http", LISTENER),
            row("Forwarded proto= is not a scheme header", Options.trust("127.0.0.1/32").headers("Forwarded"),
                    List.of("Forwarded: for=198.51.100.7;proto=https"), "198.51.100.7", "http", LISTENER),
            row("two address headers: the one listed last decides",
                    Options.trust("127.0.0.1/32").headers("X-Real-IP", "X-Forwarded-For"),
                    List.of("X-Forwarded-For: 198.51.100.7", "X-Real-IP: 6.6.6.6"), "198.51.100.7", "http", LISTENER),
            row("the chosen header invalid: the peer, not the other header",
                    Options.trust("127.0.0.1/32").headers("X-Real-IP", "X-Forwarded-For"),
                    List.of("X-Forwarded-For: garbage", "X-Real-IP: 6.6.6.6"), "127.0.0.1", "http", LISTENER),
            row("a trusted header absent: the other one present decides",
                    Options.trust("127.0.0.1/32").headers("X-Real-IP", "X-Forwarded-For"),
                    List.of("X-Real-IP: 198.51.100.7"), "198.51.100.7", "http", LISTENER),
            row("a header not named by --trust-proxy-header is not consumed",
                    Options.trust("127.0.0.1/32").headers("X-Forwarded-Proto"),
                    List.of("X-Forwarded-For: 198.51.100.7", "X-Real-IP: 198.51.100.8"), "127.0.0.1", "http", LISTENER),

            // Rule 2: peers.
            row("IPv6 peer in an IPv6 network", Options.trust("::1/128").headers("X-Forwarded-For"), "::1",
                    List.of("X-Forwarded-For: 198.51.100.7"), "198.51.100.7", "http", LISTENER, null),
            row("IPv6 peer outside", Options.trust("::1/128").headers("X-Forwarded-For"), "::2",
                    List.of("X-Forwarded-For: 198.51.100.7"), "::2", "http", LISTENER, null),
            row("IPv4 peer not in an IPv6 network", Options.trust("::/0").headers("X-Forwarded-For"), "10.0.0.1",
                    List.of("X-Forwarded-For: 198.51.100.7"), "10.0.0.1", "http", LISTENER, null),
            row("peer inside a wider network", Options.trust("10.128.0.0/14").headers("X-Forwarded-For"), "10.131.2.3",
                    List.of("X-Forwarded-For: 198.51.100.7"), "198.51.100.7", "http", LISTENER, null),
            row("peer just outside", Options.trust("10.128.0.0/14").headers("X-Forwarded-For"), "10.132.0.1",
                    List.of("X-Forwarded-For: 198.51.100.7"), "10.132.0.1", "http", LISTENER, null),

            // Rule 6: scheme.
            row("proto https gives port 443", Options.trust("127.0.0.1/32").headers("X-Forwarded-Proto"),
                    List.of("X-Forwarded-Proto: HTTPS"), "127.0.0.1", "https", 443),
            row("proto comma list: the last", Options.trust("127.0.0.1/32").headers("X-Forwarded-Proto"),
                    List.of("X-Forwarded-Proto: http, https"), "127.0.0.1", "https", 443),
            row("proto invalid: ignored", Options.trust("127.0.0.1/32").headers("X-Forwarded-Proto"),
                    List.of("X-Forwarded-Proto: wss"), "127.0.0.1", "http", LISTENER),
            row("proto invalid last value does not fall back to an earlier one",
                    Options.trust("127.0.0.1/32").headers("X-Forwarded-Proto"),
                    List.of("X-Forwarded-Proto: https", "X-Forwarded-Proto: ftp"), "127.0.0.1", "http", LISTENER),
            row("X-Forwarded-Scheme", Options.trust("127.0.0.1/32").headers("X-Forwarded-Scheme"),
                    List.of("X-Forwarded-Scheme: https"), "127.0.0.1", "https", 443),
            row("X-Scheme", Options.trust("127.0.0.1/32").headers("X-Scheme"),
                    List.of("X-Scheme: https"), "127.0.0.1", "https", 443),
            row("X-Forwarded-Ssl on", Options.trust("127.0.0.1/32").headers("X-Forwarded-Ssl"),
                    List.of("X-Forwarded-Ssl: On"), "127.0.0.1", "https", 443),
            row("X-Forwarded-HTTPS true", Options.trust("127.0.0.1/32").headers("X-Forwarded-HTTPS"),
                    List.of("X-Forwarded-HTTPS: TRUE"), "127.0.0.1", "https", 443),
            row("X-HTTPS 1", Options.trust("127.0.0.1/32").headers("X-HTTPS"),
                    List.of("X-HTTPS: 1"), "127.0.0.1", "https", 443),
            row("Front-End-Https off", Options.trust("127.0.0.1/32").headers("Front-End-Https"),
                    List.of("Front-End-Https: off"), "127.0.0.1", "http", 80),
            row("on/off false and 0", Options.trust("127.0.0.1/32").headers("X-Forwarded-Ssl"),
                    List.of("X-Forwarded-Ssl: false, 0"), "127.0.0.1", "http", 80),
            row("on/off garbage: ignored", Options.trust("127.0.0.1/32").headers("X-Forwarded-Ssl"),
                    List.of("X-Forwarded-Ssl: yes"), "127.0.0.1", "http", LISTENER),
            row("on/off header cannot take a scheme name", Options.trust("127.0.0.1/32").headers("X-Forwarded-Ssl"),
                    List.of("X-Forwarded-Ssl: https"), "127.0.0.1", "http", LISTENER),
            row("two scheme headers: the one listed last decides",
                    Options.trust("127.0.0.1/32").headers("X-Forwarded-Proto", "X-Forwarded-Ssl"),
                    List.of("X-Forwarded-Proto: http", "X-Forwarded-Ssl: on"), "127.0.0.1", "https", 443),

            // Rule 7: port.
            row("port header", ALL, List.of("X-Forwarded-Proto: https", "X-Forwarded-Port: 8443"),
                    "127.0.0.1", "https", 8443),
            row("port: last value", ALL, List.of("X-Forwarded-Port: 1", "X-Forwarded-Port: 2, 444"),
                    "127.0.0.1", "http", 444),
            row("port with leading zero (1-5 digits)", ALL, List.of("X-Forwarded-Port: 0443"), "127.0.0.1", "http", 443),
            row("port 0 invalid: from scheme", ALL, List.of("X-Forwarded-Proto: https", "X-Forwarded-Port: 0"),
                    "127.0.0.1", "https", 443),
            row("port 65536 invalid: listener", ALL, List.of("X-Forwarded-Port: 65536"), "127.0.0.1", "http", LISTENER),
            row("port 65535", ALL, List.of("X-Forwarded-Port: 65535"), "127.0.0.1", "http", 65535),
            row("port signed invalid", ALL, List.of("X-Forwarded-Port: +80"), "127.0.0.1", "http", LISTENER),
            row("port six digits invalid", ALL, List.of("X-Forwarded-Port: 000080"), "127.0.0.1", "http", LISTENER),
            row("port from an untrusted peer ignored", Options.trust("10.0.0.0/8").headers("X-Forwarded-Port"),
                    List.of("X-Forwarded-Port: 443"), "127.0.0.1", "http", LISTENER),
            row("http scheme gives port 80", ALL, List.of("X-Forwarded-Proto: http"), "127.0.0.1", "http", 80),

            // Rule 8: host.
            row("host trusted", ALL, PEER, List.of("X-Forwarded-Host: www.example.com"),
                    "127.0.0.1", "http", LISTENER, "www.example.com"),
            row("host with port, last value", ALL, PEER, List.of("X-Forwarded-Host: evil.test, app.example.com:8443"),
                    "127.0.0.1", "http", LISTENER, "app.example.com:8443"),
            row("host IPv4", ALL, PEER, List.of("X-Forwarded-Host: 192.0.2.1:80"), "127.0.0.1", "http", LISTENER,
                    "192.0.2.1:80"),
            row("host IPv6", ALL, PEER, List.of("X-Forwarded-Host: [2001:db8::1]:80"), "127.0.0.1", "http", LISTENER,
                    "[2001:db8::1]:80"),
            row("X-Host", Options.trust("127.0.0.1/32").headers("X-Host"), PEER, List.of("X-Host: example.org"),
                    "127.0.0.1", "http", LISTENER, "example.org"),
            row("host 127.1 invalid", ALL, PEER, List.of("X-Forwarded-Host: 127.1"), "127.0.0.1", "http", LISTENER, null),
            row("host with path invalid", ALL, PEER, List.of("X-Forwarded-Host: a.example/x"),
                    "127.0.0.1", "http", LISTENER, null),
            row("host with userinfo invalid", ALL, PEER, List.of("X-Forwarded-Host: u@a.example"),
                    "127.0.0.1", "http", LISTENER, null),
            row("host with bad port invalid", ALL, PEER, List.of("X-Forwarded-Host: a.example:99999"),
                    "127.0.0.1", "http", LISTENER, null),
            row("host label starting with hyphen invalid", ALL, PEER, List.of("X-Forwarded-Host: -a.example"),
                    "127.0.0.1", "http", LISTENER, null),
            row("host empty label invalid", ALL, PEER, List.of("X-Forwarded-Host: a..example"),
                    "127.0.0.1", "http", LISTENER, null),
            row("host bracketed IPv4 invalid", ALL, PEER, List.of("X-Forwarded-Host: [192.0.2.1]"),
                    "127.0.0.1", "http", LISTENER, null),
            row("host untrusted peer", Options.trust("10.0.0.0/8").headers("X-Forwarded-Host"), PEER,
                    List.of("X-Forwarded-Host: www.example.com"), "127.0.0.1", "http", LISTENER, null),
            row("host not named: not consumed", XFF, PEER, List.of("X-Forwarded-Host: www.example.com"),
                    "127.0.0.1", "http", LISTENER, null),

            // Everything at once, as haproxy in append mode sends it.
            row("haproxy append mode, spoofed by the client", ALL, PEER,
                    List.of("X-Forwarded-For: 6.6.6.6", "X-Forwarded-Proto: http", "X-Forwarded-Port: 1",
                            "X-Forwarded-For: 198.51.100.7", "X-Forwarded-Port: 443", "X-Forwarded-Proto: https"),
                    "198.51.100.7", "https", 443, null)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void derivesTheFactsAndForwardsExactlyThem(Case c) {
        HttpHeaders in = headers(c.lines());
        HttpHeaders before = in.copy();
        Result result = new ProxyHeaderPolicy(c.options().config()).evaluate(peer(c.peer()), LISTENER, in);

        ProxyHeaderFacts facts = forward(result).facts();
        assertThat(facts).isEqualTo(c.expected());
        HttpHeaders out = forward(result).headers();
        assertThat(out).isNotSameAs(in);
        assertThat(in).as("the request's own headers are left alone").isEqualTo(before);
        assertThat(out.getAll("X-Forwarded-For")).containsExactly(facts.clientAddress());
        assertThat(out.getAll("X-Forwarded-Proto")).containsExactly(facts.scheme());
        assertThat(out.getAll("X-Forwarded-Port")).containsExactly(Integer.toString(facts.port()));
        assertThat(out.getAll("X-Forwarded-Host")).isEqualTo(facts.host() == null ? List.of() : List.of(facts.host()));
        for (Map.Entry<String, String> header : out) {
            boolean canonical = header.getKey().startsWith("X-Forwarded-");
            assertThat(canonical || !isForwardingLike(header.getKey()))
                    .as("no forwarding look-alike survives: %s", header.getKey()).isTrue();
        }
    }

    private static boolean isForwardingLike(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("forward") || lower.contains("real") || lower.contains("client") || lower.contains("_")
                || lower.contains("scheme") || lower.contains("https") || lower.contains("ssl") || lower.equals("x-host");
    }

    // ---- rule 1: names -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} is dropped")
    @ValueSource(strings = {"X_Forwarded_For", "x_forwarded_proto", "SCRIPT_NAME", "X.Forwarded.For", "X-Forwarded.For",
        "X-Forwarded_For", "REMOTE_ADDR", "Foo_Bar", "X-Real_IP", "Content_Length", "Script.Name"})
    void invalidNamesAreDroppedOrRefusedInStrictMode(String name) {
        HttpHeaders in = headers(List.of(name + ": 1.2.3.4", "Accept: */*"));
        Options options = Options.trust().headers("X-Forwarded-For");

        HttpHeaders out = forward(new ProxyHeaderPolicy(options.config()).evaluate(peer(PEER), LISTENER, in)).headers();
        assertThat(out.names()).containsExactlyInAnyOrder("Accept", "X-Forwarded-For", "X-Forwarded-Proto",
                "X-Forwarded-Port");
        assertThat(out.get("X-Forwarded-For")).isEqualTo("127.0.0.1");

        Result strict = new ProxyHeaderPolicy(options.strict().config()).evaluate(peer(PEER), LISTENER, in);
        assertThat(strict).isEqualTo(new Result.Rejected("invalid header name: " + name));
    }

    // ---- rule 10: what is always removed ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} is scrubbed")
    @ValueSource(strings = {"X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Host",
        "X-Forwarded-Ssl", "X-Forwarded-HTTPS", "X-Forwarded-Scheme", "X-Forwarded-Prefix", "X-Forwarded-Server",
        "X-Forwarded-Script-Name", "x-forwarded-anything", "X-Forwarded-", "Forwarded", "X-Real-IP", "X-Client-IP",
        "X-Cluster-Client-IP", "X-Original-Forwarded-For", "True-Client-IP", "CF-Connecting-IP", "X-Url-Scheme",
        "X-Script-Name", "X-Scheme", "X-HTTPS", "Front-End-Https", "X-Host", "Proxy", "PROXY",
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
        "Proxy-Authorization"})
    void equivalentAndHopByHopHeadersAreScrubbedTrustedOrNot(String name) {
        for (Options options : List.of(Options.trust().headers("X-Forwarded-For", "X-Forwarded-Proto",
                "X-Forwarded-Port", "X-Forwarded-Host", "X-Real-IP", "Forwarded"), Options.trust("10.0.0.0/8"),
                Options.trust())) {
            HttpHeaders in = headers(List.of(name + ": 198.51.100.7", "Accept: text/html", name + ": 203.0.113.1"));
            HttpHeaders out = forward(new ProxyHeaderPolicy(options.config()).evaluate(peer(PEER), LISTENER, in))
                    .headers();
            List<String> names = new ArrayList<>(out.names());
            names.removeAll(List.of("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Host"));
            assertThat(names).as(options.toString()).containsExactly("Accept");
            for (String canonical : List.of("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Port")) {
                assertThat(out.getAll(canonical)).hasSize(1);
            }
            assertThat(out.getAll("X-Forwarded-For").getFirst()).isIn("127.0.0.1", "203.0.113.1");
        }
    }

    @Test
    void headersNamedInConnectionAreRemovedButNeverTheCanonicalOnesOrHost() {
        HttpHeaders in = headers(List.of(
                "Host: app.example.com",
                "Connection: keep-alive, X-Secret, x-forwarded-for",
                "Connection: X-Forwarded-Proto,, Host , X-Forwarded-Port, Cookie",
                "X-Secret: 1", "Cookie: a=b", "Accept: */*", "X-Forwarded-For: 198.51.100.7", "X-Forwarded-Proto: https"));
        Result result = new ProxyHeaderPolicy(ALL.config()).evaluate(peer(PEER), LISTENER, in);

        HttpHeaders out = forward(result).headers();
        assertThat(out.names()).containsExactlyInAnyOrder("Host", "Accept", "X-Forwarded-For", "X-Forwarded-Proto",
                "X-Forwarded-Port");
        assertThat(out.get("Host")).isEqualTo("app.example.com");
        // A trusted proxy may mark its own headers hop-by-hop: they are still read, then replaced by canonical ones.
        assertThat(forward(result).facts()).isEqualTo(new ProxyHeaderFacts("198.51.100.7", "https", 443, null));
        assertThat(out.get("X-Forwarded-Port")).isEqualTo("443");
    }

    @Test
    void ordinaryHeadersKeepTheirOrderValuesAndRepetitions() {
        HttpHeaders in = headers(List.of("Host: h", "Accept: a", "Cookie: c1", "X-Custom: v", "Cookie: c2",
                "Content-Length: 3", "Authorization: Bearer t", "X-Forwardedfor: not-a-forwarding-header"));
        HttpHeaders out = forward(new ProxyHeaderPolicy(XFF.config()).evaluate(peer(PEER), LISTENER, in)).headers();
        List<String> lines = new ArrayList<>();
        out.forEach(e -> lines.add(e.getKey() + ": " + e.getValue()));
        assertThat(lines).containsExactly("Host: h", "Accept: a", "Cookie: c1", "X-Custom: v", "Cookie: c2",
                "Content-Length: 3", "Authorization: Bearer t", "X-Forwardedfor: not-a-forwarding-header",
                "X-Forwarded-For: 127.0.0.1", "X-Forwarded-Proto: http", "X-Forwarded-Port: 8080");
    }

    // ---- trailers ------------------------------------------------------------------------------------------------

    @Test
    void forwardingHeadersInTrailersAreNeverRead() {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
                Unpooled.EMPTY_BUFFER, DefaultHttpHeadersFactory.headersFactory(), DefaultHttpHeadersFactory.trailersFactory());
        request.headers().add("X-Forwarded-For", "198.51.100.7");
        request.trailingHeaders().add("X-Forwarded-For", "6.6.6.6").add("X-Forwarded-Proto", "https")
                .add("X-Forwarded-Host", "evil.test");
        Result result = new ProxyHeaderPolicy(ALL.config()).evaluate(peer(PEER), LISTENER, request.headers());
        assertThat(forward(result).facts()).isEqualTo(new ProxyHeaderFacts("198.51.100.7", "http", LISTENER, null));
        assertThat(request.trailingHeaders().getAll("X-Forwarded-For")).containsExactly("6.6.6.6");
    }

    // ---- strict mode ---------------------------------------------------------------------------------------------

    static Stream<Arguments> strictRejections() {
        return Stream.of(
            Arguments.of(List.of("X-Forwarded-For: 198.51.100.7, unknown"),
                    "X-Forwarded-For: unknown (expected: an IP address, optionally with a port)"),
            Arguments.of(List.of("X-Forwarded-For: 010.0.0.1"),
                    "X-Forwarded-For: 010.0.0.1 (expected: an IP address, optionally with a port)"),
            Arguments.of(List.of("X-Forwarded-Proto: wss"), "X-Forwarded-Proto: wss (expected: http or https)"),
            Arguments.of(List.of("X-Forwarded-Port: 70000"), "X-Forwarded-Port: 70000 (expected: a port 1..65535)"),
            Arguments.of(List.of("X-Forwarded-Host: a/b"), "X-Forwarded-Host: a/b (expected: host[:port])"),
            Arguments.of(List.of("X-Forwarded-For: " + "9".repeat(100)),
                    "X-Forwarded-For: " + "9".repeat(80) + "... (expected: an IP address, optionally with a port)"));
    }

    @ParameterizedTest
    @MethodSource("strictRejections")
    void strictModeRefusesBadTrustedValues(List<String> lines, String reason) {
        HttpHeaders in = headers(lines);
        assertThat(new ProxyHeaderPolicy(ALL.strict().config()).evaluate(peer(PEER), LISTENER, in))
                .isEqualTo(new Result.Rejected(reason));
        assertThat(new ProxyHeaderPolicy(ALL.config()).evaluate(peer(PEER), LISTENER, in))
                .isInstanceOf(Result.Forward.class);
    }

    @Test
    void strictModeRefusesABadOnOffValue() {
        Options options = Options.trust("127.0.0.1/32").headers("X-Forwarded-Ssl").strict();
        assertThat(new ProxyHeaderPolicy(options.config())
                .evaluate(peer(PEER), LISTENER, headers(List.of("X-Forwarded-Ssl: yes"))))
                .isEqualTo(new Result.Rejected("X-Forwarded-Ssl: yes (expected: on, off, true, false, 1 or 0)"));
    }

    @Test
    void strictModeIgnoresValuesItWouldNotReadAnyway() {
        ProxyHeaderPolicy strict = new ProxyHeaderPolicy(
                Options.trust("10.0.0.0/8").headers("X-Forwarded-For", "X-Forwarded-Proto").strict().config());
        // An untrusted peer's forwarding headers are removed silently, whatever they hold.
        assertThat(strict.evaluate(peer(PEER), LISTENER, headers(List.of("X-Forwarded-For: garbage",
                "X-Forwarded-Proto: gopher", "X-Real-IP: junk")))).isInstanceOf(Result.Forward.class);
        // Beyond the trusted hops nothing is parsed: a client's own junk on the left cannot cause a 400.
        assertThat(strict.evaluate(peer("10.1.1.1"), LISTENER, headers(List.of("X-Forwarded-For: garbage, 198.51.100.7"))))
                .isEqualTo(new Result.Forward(new ProxyHeaderFacts("198.51.100.7", "http", LISTENER, null),
                        forward(strict.evaluate(peer("10.1.1.1"), LISTENER,
                                headers(List.of("X-Forwarded-For: garbage, 198.51.100.7")))).headers(),
                        ProxyHeaderPolicy.Dropped.NONE));
    }

    // ---- what was dropped, and why ------------------------------------------------------------------------------------

    private static ProxyHeaderPolicy.Dropped dropped(Options options, String peer, String... lines) {
        return forward(new ProxyHeaderPolicy(options.config()).evaluate(peer(peer), LISTENER,
                headers(List.of(lines)))).dropped();
    }

    private static int mask(dev.front.config.ProxyHeader... headers) {
        int mask = 0;
        for (dev.front.config.ProxyHeader header : headers) {
            mask |= 1 << header.ordinal();
        }
        return mask;
    }

    @Test
    void trustedHeadersFromAnUntrustedPeerAreDroppedAsUntrustedPeer() {
        Options options = Options.trust("10.0.0.0/8").headers("X-Forwarded-For", "X-Forwarded-Proto");
        assertThat(dropped(options, "192.0.2.9", "X-Forwarded-For: 6.6.6.6", "X-Forwarded-Proto: https",
                "X-Real-IP: 6.6.6.6")).isEqualTo(new ProxyHeaderPolicy.Dropped(
                mask(dev.front.config.ProxyHeader.X_FORWARDED_FOR, dev.front.config.ProxyHeader.X_FORWARDED_PROTO),
                mask(dev.front.config.ProxyHeader.X_REAL_IP), 0, 0));
    }

    @Test
    void headersNobodyMaySetAreDroppedAsUntrustedHeaderFromAnyPeer() {
        Options options = Options.trust("10.0.0.0/8").headers("X-Forwarded-For");
        assertThat(dropped(options, "10.1.1.1", "X-Forwarded-For: 198.51.100.7", "X-Forwarded-Host: evil.example",
                "Forwarded: for=1.2.3.4", "X-Forwarded-Prefix: /x")).isEqualTo(new ProxyHeaderPolicy.Dropped(0,
                mask(dev.front.config.ProxyHeader.X_FORWARDED_HOST, dev.front.config.ProxyHeader.FORWARDED), 0, 0));
        // --trusted-hops 0 trusts nobody on purpose: no untrusted-peer alarm for it.
        assertThat(dropped(options.hops(0), "192.0.2.9", "X-Forwarded-For: 6.6.6.6"))
                .isEqualTo(new ProxyHeaderPolicy.Dropped(0, mask(dev.front.config.ProxyHeader.X_FORWARDED_FOR), 0, 0));
    }

    @Test
    void badValuesFromATrustedPeerAreDroppedAsInvalid() {
        assertThat(dropped(ALL, PEER, "X-Forwarded-For: junk", "X-Forwarded-Proto: gopher", "X-Forwarded-Port: 0",
                "X-Forwarded-Host: a/b")).isEqualTo(new ProxyHeaderPolicy.Dropped(0, 0,
                mask(dev.front.config.ProxyHeader.X_FORWARDED_FOR, dev.front.config.ProxyHeader.X_FORWARDED_PROTO,
                        dev.front.config.ProxyHeader.X_FORWARDED_PORT, dev.front.config.ProxyHeader.X_FORWARDED_HOST),
                0));
        assertThat(dropped(ALL, PEER, "X-Forwarded-For: 198.51.100.7", "X-Forwarded-Proto: https",
                "X-Forwarded-Port: 443", "X-Forwarded-Host: example.org")).isSameAs(ProxyHeaderPolicy.Dropped.NONE);
    }

    @Test
    void aChainOfMoreTrustedProxiesThanTrustedHopsIsTooManyHops() {
        Options options = Options.trust("10.0.0.0/8").headers("X-Forwarded-For");
        int xff = mask(dev.front.config.ProxyHeader.X_FORWARDED_FOR);
        // The hop taken (10.2.2.2) is one of ours and more were left: the client seen is a proxy.
        assertThat(dropped(options, "10.1.1.1", "X-Forwarded-For: 198.51.100.7, 10.2.2.2"))
                .isEqualTo(new ProxyHeaderPolicy.Dropped(0, 0, 0, xff));
        assertThat(dropped(options.hops(2), "10.1.1.1", "X-Forwarded-For: 198.51.100.7, 10.2.2.2"))
                .isSameAs(ProxyHeaderPolicy.Dropped.NONE);
        // A client's own values left of the real client are normal, not an alarm.
        assertThat(dropped(options, "10.1.1.1", "X-Forwarded-For: 6.6.6.6, 198.51.100.7"))
                .isSameAs(ProxyHeaderPolicy.Dropped.NONE);
        // With every peer trusted (no --trust-proxy) nothing tells a proxy from a client.
        assertThat(dropped(Options.trust().headers("X-Forwarded-For"), "10.1.1.1",
                "X-Forwarded-For: 198.51.100.7, 10.2.2.2")).isSameAs(ProxyHeaderPolicy.Dropped.NONE);
    }

    // ---- peers ---------------------------------------------------------------------------------------------------

    @Test
    void anIpv4MappedIpv6PeerCountsAsIpv4() throws UnknownHostException {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
        Result result = new ProxyHeaderPolicy(XFF.config()).evaluate(new InetSocketAddress(address, 40000),
                LISTENER, headers(List.of("X-Forwarded-For: 198.51.100.7")));
        assertThat(forward(result).facts().clientAddress()).isEqualTo("198.51.100.7");

        Result untrusted = new ProxyHeaderPolicy(Options.trust("10.0.0.0/8").headers("X-Forwarded-For").config())
                .evaluate(new InetSocketAddress(address, 40000), LISTENER, headers(List.of("X-Forwarded-For: 1.1.1.1")));
        assertThat(forward(untrusted).facts().clientAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void anIpv6PeerIsWrittenInCanonicalForm() throws UnknownHostException {
        InetAddress address = InetAddress.getByAddress(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 1});
        Result result = new ProxyHeaderPolicy(ForwardedConfig.defaults())
                .evaluate(new InetSocketAddress(address, 1), 443, headers(List.of()));
        assertThat(forward(result).facts()).isEqualTo(new ProxyHeaderFacts("2001:db8::1", "http", 443, null));
    }

    @Test
    void defaultsConsumeNothingAndStillWriteTheCanonicalHeaders() {
        Result result = new ProxyHeaderPolicy(ForwardedConfig.defaults()).evaluate(peer("192.0.2.1"), 80,
                headers(List.of("X-Forwarded-For: 1.2.3.4", "X-Forwarded-Proto: https", "Host: h")));
        assertThat(forward(result).facts()).isEqualTo(new ProxyHeaderFacts("192.0.2.1", "http", 80, null));
        assertThat(forward(result).headers().names()).containsExactly("Host", "X-Forwarded-For", "X-Forwarded-Proto",
                "X-Forwarded-Port");
    }

    @Test
    void warnsOnlyWhenAnyPeerCouldAssertSomething() {
        assertThat(new ProxyHeaderPolicy(Options.trust().headers("X-Forwarded-For").config()).trustsEveryPeer())
                .isTrue();
        assertThat(new ProxyHeaderPolicy(Options.trust("10.0.0.0/8").headers("X-Forwarded-For").config())
                .trustsEveryPeer()).isFalse();
        assertThat(new ProxyHeaderPolicy(ForwardedConfig.defaults()).trustsEveryPeer()).isFalse();
        assertThat(new ProxyHeaderPolicy(Options.trust().headers("X-Forwarded-For").hops(0).config())
                .trustsEveryPeer()).isFalse();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** Header lines as Netty's decoder would hand them over; no validation, so invalid names reach the policy. */
    static HttpHeaders headers(List<String> lines) {
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        for (String line : lines) {
            int colon = line.indexOf(':');
            headers.add(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return headers;
    }

    static InetSocketAddress peer(String literal) {
        try {
            // A literal only: getByAddress never looks anything up.
            byte[] bytes = dev.front.config.IpAddresses.parseLiteral(literal);
            return new InetSocketAddress(InetAddress.getByAddress(bytes), 45678);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static Result.Forward forward(Result result) {
        assertThat(result).isInstanceOf(Result.Forward.class);
        return (Result.Forward) result;
    }

    // ---- the TLS listener ------------------------------------------------------------------------------------------

    @Test
    void onTheTlsListenerTheSchemeIsHttpsAndHeadersAreNotBelievedWithoutTheFlag() {
        ProxyHeaderPolicy policy = new ProxyHeaderPolicy(ALL.config());
        HttpHeaders in = headers(List.of("X-Forwarded-For: 198.51.100.7", "X-Forwarded-Proto: http",
                "X-Forwarded-Port: 80"));
        Result.Forward forward = (Result.Forward) policy.evaluate(peer(PEER),
                new dev.front.core.connection.ListenerFacts(true, 8443, false), in);
        assertThat(forward.facts()).isEqualTo(new ProxyHeaderFacts(PEER, "https", 8443, null));
        assertThat(forward.headers().get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(forward.dropped().headers(ProxyHeaderPolicy.DropReason.UNTRUSTED_HEADER)).isNotZero();
    }

    @Test
    void onTheTlsListenerWithTheFlagTrustedHeadersDecideAndTheDefaultIsHttpsOnItsPort() {
        ProxyHeaderPolicy policy = new ProxyHeaderPolicy(ALL.config());
        var tls = new dev.front.core.connection.ListenerFacts(true, 8443, true);
        Result.Forward believed = (Result.Forward) policy.evaluate(peer(PEER), tls,
                headers(List.of("X-Forwarded-For: 198.51.100.7", "X-Forwarded-Proto: https")));
        assertThat(believed.facts()).isEqualTo(new ProxyHeaderFacts("198.51.100.7", "https", 443, null));
        Result.Forward none = (Result.Forward) policy.evaluate(peer(PEER), tls, headers(List.of("Accept: */*")));
        assertThat(none.facts()).isEqualTo(new ProxyHeaderFacts(PEER, "https", 8443, null));
    }

    @SuppressWarnings("unused")
    private static String show(HttpHeaders headers) {
        return Arrays.toString(headers.entries().toArray());
    }
}
