package dev.front.core.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.net.ConnectException;
import java.time.Duration;

/**
 * Something that made the front answer a request itself: the one place where a failure gets its status, and the
 * words that say its cause on stderr ({@link FailureLog}). {@code kind} names the failure without request data (a
 * fixed word per factory), so that the log's rate limit counts floods of one cause together and its table of kinds
 * cannot grow with what clients send.
 *
 * @param status the status the client is answered
 * @param kind   what the log's rate limit counts by; one of a fixed few
 * @param cause  the cause in words, for the log line
 */
public record Failure(HttpResponseStatus status, String kind, String cause) {

    // The request head, refused before anything is forwarded.

    /**
     * The {@code Retry-After} of every 503 the front answers itself, core and static alike: such a 503 means a
     * momentary shortage (a place under {@code --max-concurrency} or {@code --max-websockets}, a file descriptor, a
     * file-system thread) that frees as soon as one request ends, so a client may come back after a second. A longer
     * outage is the orchestrator's to see, through {@code /readyz}.
     */
    public static final int RETRY_AFTER_SECONDS = 1;

    /** The seconds for {@code Retry-After} on this failure's answer (RFC 9110, section 10.2.3); 0 for none. */
    public int retryAfterSeconds() {
        return status.code() == HttpResponseStatus.SERVICE_UNAVAILABLE.code() ? RETRY_AFTER_SECONDS : 0;
    }

    /** The codec could not decode the head: too long a request line (414), too large a head (431), else 400. */
    public static Failure undecodableHead(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return new Failure(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request-line-too-long",
                    "request line over " + RequestChecks.MAX_REQUEST_LINE + " bytes");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new Failure(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "head-too-large",
                    "request head over " + RequestChecks.MAX_HEAD_SIZE + " bytes");
        }
        return new Failure(HttpResponseStatus.BAD_REQUEST, "malformed-head", "malformed request head: "
                + message(cause));
    }

    static Failure unsupportedVersion(String version) {
        return new Failure(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "version",
                "request in " + version + " (only HTTP/1.1 and HTTP/1.0 are served)");
    }

    static Failure tooManyFields(int fields) {
        return new Failure(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "too-many-fields",
                "request head with " + fields + " header fields (over " + RequestChecks.MAX_FIELDS + ")");
    }

    static Failure fieldTooLarge(String name, int size) {
        return new Failure(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "field-too-large",
                "header field " + clip(name) + " of " + size + " bytes (over " + RequestChecks.MAX_FIELD_SIZE + ")");
    }

    public static Failure unsupportedCoding(String codings) {
        return new Failure(HttpResponseStatus.NOT_IMPLEMENTED, "transfer-coding",
                "Transfer-Encoding " + clip(codings) + " (only chunked is decoded)");
    }

    static Failure badHost(int hosts) {
        return new Failure(HttpResponseStatus.BAD_REQUEST, "host",
                hosts == 0 ? "HTTP/1.1 request without Host" : hosts + " Host header fields");
    }

    static Failure invalidHost(String value) {
        return new Failure(HttpResponseStatus.BAD_REQUEST, "host", "Host " + clip(value) + " is not host[:port]");
    }

    /**
     * A Host that names none of {@code --server-name} and {@code --server-alias} ({@code null}: an HTTP/1.0 request
     * without Host). 421 Misdirected Request (RFC 9110 15.5.20) says exactly that the request reached a server that
     * does not serve that authority: unlike mod_wsgi-express's 403 it cannot be taken for the application denying
     * access, and a client or router may retry it elsewhere.
     */
    public static Failure misdirected(String host, String serverName) {
        return new Failure(HttpResponseStatus.MISDIRECTED_REQUEST, "server-name",
                (host == null ? "HTTP/1.0 request without Host" : "Host " + clip(host))
                        + " is not --server-name " + serverName + " or one of its --server-alias");
    }

    public static Failure badTarget(String reason) {
        return new Failure(HttpResponseStatus.BAD_REQUEST, "target", "request target: " + clip(reason));
    }

    public static Failure forwardedHeaders(String reason) {
        return new Failure(HttpResponseStatus.BAD_REQUEST, "forwarded-header", "forwarding header " + reason);
    }

    public static Failure headTimeout(long timeoutNanos) {
        return new Failure(HttpResponseStatus.REQUEST_TIMEOUT, "head-timeout",
                "request head timed out after " + duration(Duration.ofNanos(timeoutNanos)) + " (--header-timeout)");
    }

    // The request body.

    public static Failure malformedBody(Throwable cause) {
        return new Failure(HttpResponseStatus.BAD_REQUEST, "malformed-body", "malformed request body: "
                + message(cause));
    }

    public static Failure declaredBodyTooLarge(long contentLength, long limit) {
        return new Failure(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body-too-large",
                "request body of Content-Length " + contentLength + " over --limit-request-body " + limit);
    }

    public static Failure bodyTooLarge(long limit) {
        return new Failure(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body-too-large",
                "request body over --limit-request-body " + limit);
    }

    public static Failure expectation(String expect) {
        return new Failure(HttpResponseStatus.EXPECTATION_FAILED, "expectation",
                "Expect: " + clip(expect) + " (only 100-continue is met)");
    }

    public static Failure bodyTimeout(Duration timeout) {
        return new Failure(HttpResponseStatus.REQUEST_TIMEOUT, "body-timeout",
                "request body: nothing came for " + duration(timeout) + " (--body-timeout)");
    }

    public static Failure bodyNotBuffered(Object directory, Throwable cause) {
        return new Failure(HttpResponseStatus.INSUFFICIENT_STORAGE, "body-buffer",
                "cannot buffer a request body in " + directory + ": " + message(cause));
    }

    public static Failure earlyWebSocketBytes() {
        return new Failure(HttpResponseStatus.BAD_REQUEST, "websocket-early-bytes",
                "bytes after a WebSocket handshake before its 101");
    }

    // The upstream: {@code upstream} names it ("upstream 127.0.0.1:8000", "child on unix:/...").

    public static Failure tooManyWebSockets(int max) {
        return new Failure(HttpResponseStatus.SERVICE_UNAVAILABLE, "websockets",
                "WebSocket handshake over --max-websockets " + max);
    }

    /** A client connection over {@code --max-clients}, answered before its request is read. */
    public static Failure tooManyClients(int max) {
        return new Failure(HttpResponseStatus.SERVICE_UNAVAILABLE, "max-clients",
                "client connection over --max-clients " + max);
    }

    /** The queue deadline passed while the request waited for a slot or for the child. */
    public static Failure queueTimeout(Duration timeout, String waitedFor) {
        return new Failure(HttpResponseStatus.SERVICE_UNAVAILABLE, "queue-timeout",
                "waited --queue-timeout " + duration(timeout) + " for " + waitedFor);
    }

    /**
     * A connection to the upstream could not be made: a supervised child that kept refusing is restarting (503), a
     * sidecar upstream is broken (502).
     */
    public static Failure upstreamUnreachable(String upstream, Throwable cause, boolean supervised, Duration retried) {
        String words = upstream + ": " + connectError(cause);
        if (cause instanceof ConnectException) {
            words += " (retried for --queue-timeout " + duration(retried) + ")";
        }
        return new Failure(supervised ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.BAD_GATEWAY,
                "upstream-refused", words);
    }

    public static Failure offloadRefused(String upstream, String header, String value) {
        return new Failure(HttpResponseStatus.BAD_GATEWAY, "offload-refused", upstream + " named " + clip(value)
                + " in " + header + ", under no alias, --internal-alias or --sendfile-root");
    }

    public static Failure upstreamClosed(String upstream, Throwable cause) {
        return new Failure(HttpResponseStatus.BAD_GATEWAY, "upstream-closed", upstream
                + " closed the connection before the response head" + (cause == null ? "" : " (" + message(cause)
                + ")"));
    }

    public static Failure upstreamMalformed(String upstream, String what) {
        return new Failure(HttpResponseStatus.BAD_GATEWAY, "upstream-malformed", upstream + " sent " + what);
    }

    public static Failure upstreamTimeout(String upstream, Duration timeout) {
        return new Failure(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream-timeout", upstream
                + " sent no response head within --request-timeout " + duration(timeout));
    }

    // The static file service.

    /** A static file request failed on the front's side (a defect: 500; out of descriptors or threads: 503). */
    public static Failure staticFiles(HttpResponseStatus status, String cause) {
        return new Failure(status, "static-" + status.code(), cause);
    }

    /** "connection refused" rather than the transport's "connect(..) failed: Connection refused". */
    public static String connectError(Throwable cause) {
        if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("Connection refused")) {
            return "connection refused";
        }
        return message(cause);
    }

    public static String duration(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String message(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : clip(message);
    }

    /** Client-chosen text in a log line: short, and without control characters that could forge lines. */
    private static String clip(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 80));
        for (int i = 0; i < text.length() && out.length() < 80; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return text.length() > 80 ? out + "..." : out.toString();
    }
}
