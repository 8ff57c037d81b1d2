package dev.front.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The forwarded-header options (see docs/forwarded-headers.md), validated on construction: every header name
 * must be one {@link ProxyHeader} knows and every network must parse as a {@link Cidr}. The lists keep the user's
 * spelling and order (the order decides which of two trusted headers of one fact wins); {@link #headers()} and
 * {@link #networks()} give them parsed.
 *
 * @param trustProxyHeaders headers the front may consume from a trusted peer ({@code --trust-proxy-header})
 * @param trustProxies      CIDRs of trusted peers and hops ({@code --trust-proxy}); empty = every peer is trusted
 * @param trustedHops       how many trusted proxies append to X-Forwarded-For ({@code --trusted-hops})
 * @param strict            answer 400 instead of dropping invalid forwarding header names or values
 */
public record ForwardedConfig(List<String> trustProxyHeaders, List<String> trustProxies, int trustedHops,
                              boolean strict) {

    public ForwardedConfig {
        List<String> problems = new ArrayList<>();
        for (String name : trustProxyHeaders) {
            try {
                ProxyHeader.of(name);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        for (String network : trustProxies) {
            try {
                Cidr.parse(network);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (trustedHops < 0) {
            problems.add("--trusted-hops: " + trustedHops + " (expected: 0 or more)");
        }
        if (!problems.isEmpty()) {
            // One line per problem: the command-line parser reports the message as it is.
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        trustProxyHeaders = List.copyOf(trustProxyHeaders);
        trustProxies = List.copyOf(trustProxies);
    }

    public static ForwardedConfig defaults() {
        return new ForwardedConfig(List.of(), List.of(), 1, false);
    }

    /** The trusted headers, parsed, each once, in the order given (meant to be called once, by the policy). */
    public List<ProxyHeader> headers() {
        return trustProxyHeaders.stream().map(ProxyHeader::of).distinct().toList();
    }

    /** The trusted networks, parsed (cheap; meant to be called once when the policy is built). */
    public List<Cidr> networks() {
        return trustProxies.stream().map(Cidr::parse).toList();
    }
}
