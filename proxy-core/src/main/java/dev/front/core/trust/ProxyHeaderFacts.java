package dev.front.core.trust;

/**
 * What the upstream is told about one request's origin, each fact exactly once (docs/forwarded-headers.md).
 *
 * @param clientAddress the client's IP address in canonical text (IPv4 dotted quad, IPv6 as RFC 5952, no brackets)
 * @param scheme        {@code http} or {@code https}
 * @param port          the public port the client used, 1..65535
 * @param host          the host the client asked for, as a trusted proxy reported it; {@code null} unless trusted
 */
public record ProxyHeaderFacts(String clientAddress, String scheme, int port, String host) {
}
