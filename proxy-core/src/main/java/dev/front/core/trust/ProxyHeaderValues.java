package dev.front.core.trust;

import dev.front.config.IpAddresses;

/**
 * Value syntaxes of the scheme, port and host forwarding headers (docs/forwarded-headers.md, "How each fact is derived").
 * Each parser takes one element and answers {@code null} (or -1) for anything it does not accept, so the caller
 * can fall back to the connection's own fact or, in strict mode, refuse the request.
 */
final class ProxyHeaderValues {

    static final String HTTP = "http";
    static final String HTTPS = "https";

    private ProxyHeaderValues() {
    }

    /** {@code http} or {@code https} in any case, as the lower-case constant; else {@code null}. */
    static String scheme(String value) {
        if (HTTPS.equalsIgnoreCase(value)) {
            return HTTPS;
        }
        if (HTTP.equalsIgnoreCase(value)) {
            return HTTP;
        }
        return null;
    }

    /** The on/off kind ({@code X-Forwarded-Ssl: on}): {@code on|true|1} is https, {@code off|false|0} http. */
    static String onOff(String value) {
        if ("on".equalsIgnoreCase(value) || "true".equalsIgnoreCase(value) || "1".equals(value)) {
            return HTTPS;
        }
        if ("off".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value) || "0".equals(value)) {
            return HTTP;
        }
        return null;
    }

    /** 1 to 5 digits, 1..65535; else -1. */
    static int port(String value) {
        return IpAddresses.parsePort(value, 0, value.length());
    }

    /**
     * Whether {@code value} is {@code host[:port]}: a DNS name (letters, digits, hyphens; dot-separated labels of
     * 1-63 characters, not starting or ending with a hyphen, 253 at most), a dotted-quad IPv4 address, or a
     * bracketed IPv6 address. A name made only of digits and dots must be a valid dotted quad, so the child never
     * sees {@code 127.1} or {@code 0177.0.0.1} as a host.
     */
    static boolean isHost(String value) {
        int length = value.length();
        if (length == 0) {
            return false;
        }
        if (value.charAt(0) == '[') {
            int close = value.indexOf(']');
            if (close < 0) {
                return false;
            }
            byte[] address = IpAddresses.parseLiteral(value, 1, close);
            return address != null && address.length == 16
                    && (close + 1 == length
                    || (value.charAt(close + 1) == ':' && IpAddresses.isPort(value, close + 2, length)));
        }
        int colon = value.indexOf(':');
        int hostEnd = colon < 0 ? length : colon;
        if (colon >= 0 && !IpAddresses.isPort(value, colon + 1, length)) {
            return false;
        }
        return isDnsName(value, hostEnd);
    }

    private static boolean isDnsName(String value, int end) {
        if (end > 253) {
            return false;
        }
        boolean digitsAndDotsOnly = true;
        int labelStart = 0;
        for (int i = 0; i <= end; i++) {
            char c = i < end ? value.charAt(i) : '.';
            if (c == '.') {
                int labelLength = i - labelStart;
                if (labelLength == 0 || labelLength > 63
                        || value.charAt(labelStart) == '-' || value.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else if (c >= '0' && c <= '9') {
                continue;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-') {
                digitsAndDotsOnly = false;
            } else {
                return false;
            }
        }
        return !digitsAndDotsOnly || IpAddresses.parseLiteral(value, 0, end) != null;
    }
}
