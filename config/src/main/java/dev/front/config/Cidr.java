package dev.front.config;

/**
 * One {@code --trust-proxy} network: an IPv4 or IPv6 address with an optional prefix length ({@code 10.0.0.0/8},
 * {@code fd00::/8}, {@code 127.0.0.1} = {@code /32}). Bits below the prefix are ignored, as nginx and haproxy do.
 * An IPv4-mapped IPv6 network with a prefix of 96 or more is the IPv4 network it maps, so it matches IPv4 peers.
 *
 * <p>{@link #contains(byte[])} compares at most two longs, so checking every X-Forwarded-For hop stays cheap.
 */
public final class Cidr {

    private final boolean ipv4;
    private final int prefixLength;
    private final long high;
    private final long low;
    private final long highMask;
    private final long lowMask;

    private Cidr(boolean ipv4, int prefixLength, long high, long low) {
        this.ipv4 = ipv4;
        this.prefixLength = prefixLength;
        int bits = ipv4 ? 32 : 128;
        // IPv4 lives in the low 32 bits of "low"; IPv6 is high:low.
        int lowBits = ipv4 ? 32 : 64;
        int highPrefix = ipv4 ? 0 : Math.min(prefixLength, 64);
        int lowPrefix = ipv4 ? prefixLength : Math.max(prefixLength - 64, 0);
        this.highMask = highPrefix == 0 ? 0 : -1L << (64 - highPrefix);
        this.lowMask = lowPrefix == 0 ? 0 : (-1L << (lowBits - lowPrefix)) & (lowBits == 32 ? 0xffff_ffffL : -1L);
        this.high = high & highMask;
        this.low = low & lowMask;
        assert prefixLength >= 0 && prefixLength <= bits;
    }

    /**
     * Parses {@code ADDRESS} or {@code ADDRESS/PREFIX}.
     *
     * @throws IllegalArgumentException {@code --trust-proxy: VALUE (expected: ...)}
     */
    public static Cidr parse(String text) {
        Cidr cidr = tryParse(text);
        if (cidr == null) {
            throw new IllegalArgumentException("--trust-proxy: " + text
                    + " (expected: an IPv4 or IPv6 address or CIDR, e.g. 10.0.0.0/8)");
        }
        return cidr;
    }

    private static Cidr tryParse(String text) {
        int slash = text.indexOf('/');
        int addressEnd = slash < 0 ? text.length() : slash;
        byte[] address = IpAddresses.parseLiteral(text, 0, addressEnd);
        if (address == null) {
            return null;
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            prefix = parsePrefix(text, slash + 1, bits);
            if (prefix < 0) {
                return null;
            }
        }
        byte[] mapped = IpAddresses.unmapped(address);
        if (mapped.length == 4 && address.length == 16 && prefix >= 96) {
            return new Cidr(true, prefix - 96, 0, toLong(mapped, 0, 4));
        }
        if (address.length == 4) {
            return new Cidr(true, prefix, 0, toLong(address, 0, 4));
        }
        return new Cidr(false, prefix, toLong(address, 0, 8), toLong(address, 8, 16));
    }

    /** Decimal without sign or leading zeros, 0..bits; -1 otherwise. */
    private static int parsePrefix(String text, int from, int bits) {
        int length = text.length() - from;
        if (length < 1 || length > 3 || (length > 1 && text.charAt(from) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= bits ? value : -1;
    }

    private static long toLong(byte[] bytes, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = (value << 8) | (bytes[i] & 0xff);
        }
        return value;
    }

    /**
     * Whether the address (4 or 16 bytes, as {@link IpAddresses} returns them) lies in this network. Callers pass
     * IPv4-mapped addresses through {@link IpAddresses#unmapped(byte[])} first, so they match IPv4 networks.
     */
    public boolean contains(byte[] address) {
        if (address.length == 4) {
            return ipv4 && (toLong(address, 0, 4) & lowMask) == low;
        }
        return !ipv4 && address.length == 16
                && (toLong(address, 0, 8) & highMask) == high
                && (toLong(address, 8, 16) & lowMask) == low;
    }

    public boolean isIpv4() {
        return ipv4;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** The network in canonical form: the masked address (IPv6 fully expanded, lower case) and the prefix. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(48);
        if (ipv4) {
            for (int shift = 24; shift >= 0; shift -= 8) {
                text.append((low >>> shift) & 0xff);
                if (shift > 0) {
                    text.append('.');
                }
            }
        } else {
            for (int group = 0; group < 8; group++) {
                long half = group < 4 ? high : low;
                text.append(Long.toHexString((half >>> (48 - 16 * (group % 4))) & 0xffff));
                if (group < 7) {
                    text.append(':');
                }
            }
        }
        return text.append('/').append(prefixLength).toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr that && ipv4 == that.ipv4 && prefixLength == that.prefixLength
                && high == that.high && low == that.low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high) * 31 + Long.hashCode(low) * 7 + prefixLength + (ipv4 ? 1 : 0);
    }
}
