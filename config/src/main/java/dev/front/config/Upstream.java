package dev.front.config;

import java.nio.file.Path;

/** Where the front forwards to: the child's loopback port, or an already running server ({@code --upstream}). */
public sealed interface Upstream {

    record Tcp(String host, int port) implements Upstream {
        public Tcp {
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException("--upstream: host is empty (expected: HOST:PORT or unix:/PATH)");
            }
            Ports.check("--upstream", port);
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    record Unix(Path path) implements Upstream {
        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /** Parses {@code HOST:PORT}, {@code [V6]:PORT} or {@code unix:/PATH}. */
    static Upstream parse(String value) {
        String expected = " (expected: HOST:PORT or unix:/PATH)";
        if (value.startsWith("unix:")) {
            String path = value.substring("unix:".length());
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("--upstream: " + value + expected);
            }
            return new Unix(Path.of(path));
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("--upstream: " + value + expected);
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("--upstream: " + value + " (expected: [IPv6]:PORT for an IPv6 address)");
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--upstream: " + value + expected);
        }
        return new Tcp(host, port);
    }
}
