package dev.front.config;

import java.util.Arrays;

/**
 * Strict, pure IP address literal parsing: text in, raw address bytes out. It never resolves a name, so it is safe on
 * header data (docs/forwarded-headers.md), and it accepts only the forms a proxy writes: a dotted quad
 * without leading zeros, and RFC 4291 IPv6 text (optionally ending in a dotted quad). Everything that
 * {@code inet_aton} or a resolver would also accept ({@code 127.1}, {@code 0x7f.0.0.1}, {@code 2130706433},
 * {@code 010.0.0.1}, {@code fe80::1%eth0}, names) is rejected, because two parsers that disagree on such forms are how
 * an address check is bypassed.
 *
 * <p>Methods take a range of a {@link CharSequence} so callers can parse inside a header value without copying it.
 * They return {@code null} for anything invalid rather than throwing: invalid input is expected on this path.
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /** The whole text as an IPv4 (4 bytes) or IPv6 (16 bytes) literal, or {@code null}. */
    public static byte[] parseLiteral(CharSequence text) {
        return parseLiteral(text, 0, text.length());
    }

    /** {@code text[from, to)} as an IPv4 (4 bytes) or IPv6 (16 bytes) literal, or {@code null}. */
    public static byte[] parseLiteral(CharSequence text, int from, int to) {
        if (from >= to) {
            return null;
        }
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == ':') {
                return parseIpv6(text, from, to);
            }
        }
        byte[] v4 = new byte[4];
        return parseIpv4(text, from, to, v4, 0) ? v4 : null;
    }

    /**
     * A node as proxies write it into forwarding headers: {@code IPv4}, {@code IPv4:port}, {@code IPv6},
     * {@code [IPv6]} or {@code [IPv6]:port}. The port must be 1 to 5 digits in 1..65535 and is dropped.
     * IPv4-mapped IPv6 comes back as the 4-byte IPv4 address (see {@link #unmapped(byte[])}).
     */
    public static byte[] parseNode(CharSequence text, int from, int to) {
        if (from >= to) {
            return null;
        }
        byte[] address;
        if (text.charAt(from) == '[') {
            int close = indexOf(text, ']', from + 1, to);
            if (close < 0) {
                return null;
            }
            address = parseIpv6(text, from + 1, close);
            if (address == null || (close + 1 < to && (text.charAt(close + 1) != ':' || !isPort(text, close + 2, to)))) {
                return null;
            }
        } else {
            int firstColon = indexOf(text, ':', from, to);
            if (firstColon >= 0 && indexOf(text, ':', firstColon + 1, to) < 0) {
                // Exactly one colon: only IPv4:port has that shape (an IPv6 literal has at least two).
                byte[] v4 = new byte[4];
                address = parseIpv4(text, from, firstColon, v4, 0) && isPort(text, firstColon + 1, to) ? v4 : null;
            } else {
                address = parseLiteral(text, from, to);
            }
        }
        return address == null ? null : unmapped(address);
    }

    /** The IPv4 address inside an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}); any other address as is. */
    public static byte[] unmapped(byte[] address) {
        if (address.length != 16) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return address;
            }
        }
        if (address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
            return address;
        }
        return new byte[] {address[12], address[13], address[14], address[15]};
    }

    /** 1 to 5 decimal digits with a value in 1..65535. */
    public static boolean isPort(CharSequence text, int from, int to) {
        return parsePort(text, from, to) > 0;
    }

    /** The value of 1 to 5 decimal digits in 1..65535, or -1. */
    public static int parsePort(CharSequence text, int from, int to) {
        int length = to - from;
        if (length < 1 || length > 5) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value >= 1 && value <= 65535 ? value : -1;
    }

    /** Four decimal octets 0..255 separated by dots, no leading zeros, written into {@code out[offset..offset+4)}. */
    private static boolean parseIpv4(CharSequence text, int from, int to, byte[] out, int offset) {
        int octet = 0;
        int position = from;
        while (octet < 4) {
            int start = position;
            int value = 0;
            while (position < to && position - start < 4) {
                char c = text.charAt(position);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
                position++;
            }
            int digits = position - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return false;
            }
            out[offset + octet++] = (byte) value;
            if (octet < 4) {
                if (position >= to || text.charAt(position) != '.') {
                    return false;
                }
                position++;
            }
        }
        return position == to;
    }

    /**
     * RFC 4291 section 2.2 text: eight groups of 1-4 hex digits, at most one {@code ::} standing for one or more zero
     * groups, optionally the last 32 bits as a dotted quad. No zone id, no brackets, no whitespace.
     */
    private static byte[] parseIpv6(CharSequence text, int from, int to) {
        if (to - from < 2 || to - from > 45) {
            return null;
        }
        byte[] out = new byte[16];
        int groups = 0;           // 16-bit groups written so far
        int compressAt = -1;      // group index where "::" stands, or -1
        int position = from;
        if (text.charAt(position) == ':') {
            if (text.charAt(position + 1) != ':') {
                return null;      // a single leading colon
            }
            compressAt = 0;
            position += 2;
            if (position == to) {
                return out;       // "::"
            }
        }
        while (true) {
            if (groups == 8) {
                return null;
            }
            int start = position;
            int value = 0;
            while (position < to && position - start < 5) {
                int digit = hexValue(text.charAt(position));
                if (digit < 0) {
                    break;
                }
                value = (value << 4) | digit;
                position++;
            }
            int digits = position - start;
            if (position < to && text.charAt(position) == '.') {
                // The dotted-quad tail takes the last two groups and must end the text.
                if (groups > 6 || !parseIpv4(text, start, to, out, groups * 2)) {
                    return null;
                }
                groups += 2;
                position = to;
                break;
            }
            if (digits == 0 || digits > 4) {
                return null;
            }
            out[groups * 2] = (byte) (value >>> 8);
            out[groups * 2 + 1] = (byte) value;
            groups++;
            if (position == to) {
                break;
            }
            if (text.charAt(position) != ':') {
                return null;
            }
            position++;
            if (position < to && text.charAt(position) == ':') {
                if (compressAt >= 0) {
                    return null;  // a second "::"
                }
                compressAt = groups;
                position++;
                if (position == to) {
                    break;        // trailing "::"
                }
            } else if (position == to) {
                return null;      // a single trailing colon
            }
        }
        if (compressAt < 0) {
            return groups == 8 ? out : null;
        }
        if (groups == 8) {
            return null;          // "::" must stand for at least one group
        }
        // Move the groups after "::" to the end; the gap stays zero.
        int tailBytes = (groups - compressAt) * 2;
        System.arraycopy(out, compressAt * 2, out, 16 - tailBytes, tailBytes);
        Arrays.fill(out, compressAt * 2, 16 - tailBytes, (byte) 0);
        return out;
    }

    /** ASCII hex only: {@link Character#digit} would also take other scripts' digits. */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static int indexOf(CharSequence text, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
