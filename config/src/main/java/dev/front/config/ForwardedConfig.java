package dev.front.config;

import java.util.List;

/**
 * The forwarded-header options (see shared/spec/forwarded-headers.md).
 *
 * @param trustProxyHeaders headers the front may consume from a trusted peer ({@code --trust-proxy-header})
 * @param trustProxies      CIDRs of trusted peers and hops ({@code --trust-proxy}); empty = every peer is trusted
 * @param trustedHops       how many trusted proxies append to X-Forwarded-For ({@code --trusted-hops})
 * @param strict            answer 400 instead of dropping invalid forwarding header names or values
 */
public record ForwardedConfig(List<String> trustProxyHeaders, List<String> trustProxies, int trustedHops,
                              boolean strict) {

    public ForwardedConfig {
        trustProxyHeaders = List.copyOf(trustProxyHeaders);
        trustProxies = List.copyOf(trustProxies);
        if (trustedHops < 0) {
            throw new IllegalArgumentException("--trusted-hops: " + trustedHops + " (expected: 0 or more)");
        }
    }

    public static ForwardedConfig defaults() {
        return new ForwardedConfig(List.of(), List.of(), 1, false);
    }
}
