package dev.front.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the front buffers and paces what it forwards to the upstream (see docs/forwarding.md). Names follow
 * nginx where mod_wsgi-express has no equivalent.
 *
 * @param clientBodyBufferSize request body bytes kept in memory; a larger body goes to a temp file
 *                             ({@code --client-body-buffer-size}, like nginx's {@code client_body_buffer_size})
 * @param maxTempFileSize      response bytes the front may hold in a temp file while the client reads slowly; beyond
 *                             it the child is read only as fast as the client takes the response; 0 turns response
 *                             buffering to disk off ({@code --max-temp-file-size}, nginx's
 *                             {@code proxy_max_temp_file_size})
 * @param tempDir              where request and response temp files go; empty = {@code java.io.tmpdir}
 *                             ({@code --temp-dir})
 * @param maxConcurrency       requests forwarded to the upstream at once; more wait in a FIFO queue up to
 *                             {@code --queue-timeout}; 0 = no cap ({@code --max-concurrency})
 * @param webSocket            whether a valid WebSocket handshake may be forwarded with its {@code Upgrade} and
 *                             tunnelled after the child's {@code 101} ({@code --websocket}); off, every
 *                             {@code Upgrade} is removed
 * @param maxWebSockets        tunnels open at once; one more handshake gets 503 before the child is touched
 *                             ({@code --max-websockets}); always a cap, since each tunnel holds two sockets
 * @param deadlineHeader       the header that tells the child how many milliseconds a request may still take
 *                             ({@code --deadline-header}); empty: none is sent
 */
public record ForwardingConfig(int clientBodyBufferSize, long maxTempFileSize, Optional<Path> tempDir,
                               int maxConcurrency, boolean webSocket, int maxWebSockets,
                               Optional<String> deadlineHeader) {

    public static final int DEFAULT_MAX_WEBSOCKETS = 1024;

    public ForwardingConfig {
        if (clientBodyBufferSize < 0) {
            throw new IllegalArgumentException("--client-body-buffer-size: " + clientBodyBufferSize
                    + " (expected: 0 or more bytes)");
        }
        if (maxTempFileSize < 0) {
            throw new IllegalArgumentException("--max-temp-file-size: " + maxTempFileSize
                    + " (expected: 0 or more bytes)");
        }
        if (maxConcurrency < 0) {
            throw new IllegalArgumentException("--max-concurrency: " + maxConcurrency + " (expected: 0 or more)");
        }
        if (maxWebSockets < 1) {
            throw new IllegalArgumentException("--max-websockets: " + maxWebSockets + " (expected: 1 or more)");
        }
    }

    public static ForwardingConfig defaults() {
        return new ForwardingConfig(64 * 1024, 1024L * 1024 * 1024, Optional.empty(), 0, false, DEFAULT_MAX_WEBSOCKETS,
                Optional.empty());
    }

    /** The directory for temp files: {@code --temp-dir} or {@code java.io.tmpdir}. */
    public Path tempDirectory() {
        return tempDir.orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir")));
    }
}
