package dev.front.config;

import java.time.Duration;

/** Limits and timeouts; each expiry has a defined answer (see the README's option table and docs/forwarding.md). */
public record Limits(long limitRequestBody, Duration headerTimeout, Duration bodyTimeout, Duration socketTimeout,
                     Duration keepAliveTimeout, Duration startupTimeout, Duration queueTimeout,
                     Duration requestTimeout, Duration gracefulTimeout) {

    public Limits {
        if (limitRequestBody < 0) {
            throw new IllegalArgumentException("--limit-request-body: " + limitRequestBody + " (expected: 0 or more bytes)");
        }
    }

    public static Limits defaults() {
        return new Limits(10_485_760L, Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofSeconds(45), Duration.ofSeconds(60),
                Duration.ofSeconds(15));
    }
}
