package dev.front.core.trust;

import dev.front.config.Cidr;
import dev.front.config.IpAddresses;
import dev.front.config.ProxyHeader;
import java.util.List;

/**
 * Finds the client in a trusted address header (docs/forwarded-headers.md, "How each fact is derived"). Walking from the right,
 * it takes at most {@code trustedHops} elements and stops early at the first element that is not itself a trusted
 * proxy: that element is the client. Everything to its left was written by someone the front does not trust, so a
 * spoofed leftmost value is never even parsed. An element that is not an address stops the walk; the last good
 * element (or nothing, meaning the peer) is the client.
 */
final class ClientAddressChain {

    /**
     * @param client  the client's address (4 or 16 bytes, IPv4-mapped already unmapped), or {@code null} when no
     *                valid element was found before the walk stopped
     * @param invalid the first invalid element met on the walk (for strict mode's answer), or {@code null}
     * @param beyondHops the walk used up {@code trustedHops} on addresses all in a {@code --trust-proxy} network and
     *                more elements were left: the chain has more trusted proxies than {@code --trusted-hops}, so the
     *                "client" is one of them (never set when every address is trusted: then nothing tells)
     */
    record Walk(byte[] client, String invalid, boolean beyondHops) {
    }

    private static final Walk NOTHING = new Walk(null, null, false);

    private final Cidr[] networks;
    private final int trustedHops;

    /**
     * @param networks    trusted proxies; empty = every hop is trusted (no {@code --trust-proxy}: mod_wsgi-express's
     *                    meaning, the walk then simply takes {@code trustedHops} elements)
     * @param trustedHops how many proxies append; at least 1 here (0 means no peer is trusted at all)
     */
    ClientAddressChain(Cidr[] networks, int trustedHops) {
        this.networks = networks.clone();
        this.trustedHops = trustedHops;
    }

    Walk walk(List<String> lines, ProxyHeader.Syntax syntax) {
        // X-Real-IP and X-Client-IP name one address: only the nearest proxy's (last) value counts.
        boolean list = syntax == ProxyHeader.Syntax.ADDRESS_LIST || syntax == ProxyHeader.Syntax.FORWARDED_FOR;
        int hops = list ? trustedHops : 1;
        HeaderElements elements = new HeaderElements(lines);
        byte[] client = null;
        int taken = 0;
        while (elements.previous()) {
            byte[] address = syntax == ProxyHeader.Syntax.FORWARDED_FOR
                    ? forwardedFor(elements.text(), elements.start(), elements.end())
                    : IpAddresses.parseNode(elements.text(), elements.start(), elements.end());
            if (address == null) {
                return new Walk(client, elements.text().substring(elements.start(), elements.end()), false);
            }
            client = address;
            if (!isTrusted(address)) {
                break;
            }
            if (++taken >= hops) {
                return new Walk(client, null, list && networks.length > 0 && elements.previous());
            }
        }
        return client == null ? NOTHING : new Walk(client, null, false);
    }

    /** Whether an address (unmapped) is a trusted proxy; with no networks configured every address is. */
    boolean isTrusted(byte[] address) {
        if (networks.length == 0) {
            return true;
        }
        for (Cidr network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The node of the one {@code for=} parameter of an RFC 7239 element ({@code for=192.0.2.1;proto=https},
     * {@code for="[2001:db8::1]:443"}), or {@code null} when it is missing, repeated, or not an address
     * ({@code unknown} and obfuscated identifiers such as {@code _hidden} carry no address).
     */
    private static byte[] forwardedFor(String text, int from, int to) {
        int valueStart = -1;
        int valueEnd = -1;
        int pair = from;
        while (pair < to) {
            int semicolon = text.indexOf(';', pair);
            int pairEnd = semicolon < 0 || semicolon > to ? to : semicolon;
            int nameStart = skipWhitespace(text, pair, pairEnd);
            if (pairEnd - nameStart > 4 && text.regionMatches(true, nameStart, "for=", 0, 4)) {
                if (valueStart >= 0) {
                    return null;
                }
                valueStart = nameStart + 4;
                valueEnd = pairEnd;
                while (valueEnd > valueStart && (text.charAt(valueEnd - 1) == ' ' || text.charAt(valueEnd - 1) == '\t')) {
                    valueEnd--;
                }
            }
            pair = pairEnd + 1;
        }
        if (valueStart < 0) {
            return null;
        }
        if (text.charAt(valueStart) == '"') {
            // A quoted-string; no escapes: an address never needs one.
            if (valueEnd - valueStart < 2 || text.charAt(valueEnd - 1) != '"') {
                return null;
            }
            valueStart++;
            valueEnd--;
        }
        for (int i = valueStart; i < valueEnd; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                return null;
            }
        }
        return IpAddresses.parseNode(text, valueStart, valueEnd);
    }

    private static int skipWhitespace(String text, int from, int to) {
        while (from < to && (text.charAt(from) == ' ' || text.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }
}
