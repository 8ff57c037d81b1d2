package dev.front.core;

/**
 * What the child is told about the original request, each fact derived by the forwarded-header policy.
 *
 * @param clientAddress the client's address (no port)
 * @param scheme        {@code http} or {@code https}
 * @param port          the port the client connected to
 * @param host          the original host, only when a host header was trusted; else {@code null}
 */
public record ForwardedFacts(String clientAddress, String scheme, int port, String host) {
}
