package dev.front.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real haproxy (Debian's) standing for the OpenShift router in end-to-end tests: append mode ({@code option
 * forwardfor} and {@code add-header} add a line after whatever the client sent), on loopback, in front of the front.
 */
final class HaproxyRouter {

    static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

    private HaproxyRouter() {
    }

    static boolean installed() {
        return Files.isExecutable(HAPROXY);
    }

    /**
     * Starts haproxy on {@code port} forwarding to the front on {@code frontPort}.
     *
     * @param source     the local address haproxy connects to the front from, or {@code null} for any
     * @param addHeaders the forwarding headers it appends, e.g. {@code X-Forwarded-Proto https}
     */
    static Process start(Path dir, int port, int frontPort, String source, String... addHeaders) throws IOException {
        return startWith(dir, port, frontPort, source == null ? "" : " source " + source, addHeaders);
    }

    /**
     * As {@link #start}, with {@code serverOptions} after the backend's address, e.g.
     * {@code " ssl verify none alpn h2,http/1.1"} for a router that re-encrypts to the front's TLS port.
     */
    static Process startWith(Path dir, int port, int frontPort, String serverOptions, String... addHeaders)
            throws IOException {
        StringBuilder appended = new StringBuilder();
        for (String header : addHeaders) {
            appended.append("    http-request add-header ").append(header).append('\n');
        }
        String config = """
                global
                    maxconn 64
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                frontend router
                    bind 127.0.0.1:%d
                    option forwardfor
                %s    default_backend pod
                backend pod
                    server front 127.0.0.1:%d%s
                """.formatted(port, appended, frontPort, serverOptions);
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        return new ProcessBuilder(HAPROXY.toString(), "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
    }
}
