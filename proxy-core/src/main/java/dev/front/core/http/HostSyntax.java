package dev.front.core.http;

/**
 * Whether a {@code Host} value, or the authority of an absolute-form target, is {@code uri-host [ ":" port ]}
 * (RFC 9112 3.2, RFC 3986 3.2.2): a reg-name (which covers IPv4 addresses), or an IP-literal in brackets, then an
 * optional port of digits up to 65535. Anything else (whitespace, userinfo, a path, a second colon outside brackets,
 * a stray {@code %}) is refused before the request reaches the child, which would otherwise build its own idea of
 * the host from it (WSGI's {@code SERVER_NAME}, Django's {@code get_host}) and disagree with the front's.
 *
 * <p>Stricter than RFC 3986 in three places: an empty host, an empty label ({@code a..b}, a leading dot) and a colon
 * with no port after it are refused, as nginx does (none names anything a client meant to reach; one trailing dot,
 * the DNS root, is fine), and so is a comma, which is what two Host fields look like once something on the way has
 * joined them into one.
 */
final class HostSyntax {

    private static final int MAX_PORT = 65_535;

    private HostSyntax() {
    }

    static boolean valid(String value) {
        if (value.isEmpty()) {
            return false;
        }
        int hostEnd;
        if (value.charAt(0) == '[') {
            hostEnd = value.indexOf(']');
            if (hostEnd < 0 || !ipLiteral(value.substring(1, hostEnd))) {
                return false;
            }
            hostEnd++;
        } else {
            int colon = value.indexOf(':');
            hostEnd = colon < 0 ? value.length() : colon;
            if (hostEnd == 0 || !regName(value, hostEnd)) {
                return false;
            }
        }
        return hostEnd == value.length() || value.charAt(hostEnd) == ':' && port(value.substring(hostEnd + 1));
    }

    /** unreserved, sub-delims but the comma, and valid pct-encodings only; no empty label. */
    private static boolean regName(String value, int end) {
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (c == '.' && (i == 0 || value.charAt(i - 1) == '.')) {
                return false;
            }
            if (c == '%') {
                if (i + 2 >= end || Character.digit(value.charAt(i + 1), 16) < 0
                        || Character.digit(value.charAt(i + 2), 16) < 0) {
                    return false;
                }
                i += 2;
            } else if (!unreserved(c) && "!$&'()*+;=".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean unreserved(char c) {
        return c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~');
    }

    private static boolean port(String digits) {
        if (digits.isEmpty() || digits.length() > 5) {
            return false;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(digits) <= MAX_PORT;
    }

    /** An IPv6 address (RFC 3986's IPv6address, an IPv4 tail allowed) or an IPvFuture; no zone id. */
    static boolean ipLiteral(String text) {
        if (text.length() > 1 && (text.charAt(0) == 'v' || text.charAt(0) == 'V')) {
            return ipvFuture(text);
        }
        int elided = text.indexOf("::");
        if (elided < 0) {
            return words(text, true) == 8;
        }
        if (text.indexOf("::", elided + 1) >= 0) {
            return false;
        }
        int head = elided == 0 ? 0 : words(text.substring(0, elided), false);
        int tail = elided + 2 == text.length() ? 0 : words(text.substring(elided + 2), true);
        return head >= 0 && tail >= 0 && head + tail <= 7; // "::" stands for at least one zero word
    }

    /** The 16-bit words that colon-separated {@code part} holds (an IPv4 tail counts two), or -1 if invalid. */
    private static int words(String part, boolean ipv4Tail) {
        String[] groups = part.split(":", -1);
        int words = 0;
        for (int i = 0; i < groups.length; i++) {
            String group = groups[i];
            if (ipv4Tail && i == groups.length - 1 && group.indexOf('.') >= 0) {
                if (!ipv4(group)) {
                    return -1;
                }
                words += 2;
            } else if (group.isEmpty() || group.length() > 4 || !hex(group)) {
                return -1;
            } else {
                words++;
            }
        }
        return words;
    }

    private static boolean hex(String group) {
        for (int i = 0; i < group.length(); i++) {
            if (Character.digit(group.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean ipv4(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || (octet.length() > 1 && octet.charAt(0) == '0')) {
                return false;
            }
            for (int i = 0; i < octet.length(); i++) {
                if (octet.charAt(i) < '0' || octet.charAt(i) > '9') {
                    return false;
                }
            }
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /** "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ) */
    private static boolean ipvFuture(String text) {
        int dot = text.indexOf('.');
        if (dot < 2 || dot == text.length() - 1 || !hex(text.substring(1, dot))) {
            return false;
        }
        for (int i = dot + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unreserved(c) && "!$&'()*+,;=:".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
