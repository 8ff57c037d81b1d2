package dev.front.core.upstream;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.concurrent.TimeUnit;

/**
 * The head the child receives, rebuilt from the client's: the headers the forwarding-header policy kept, minus what
 * never crosses this hop, plus one Content-Length for the body the front buffered whole. Pure: no channel, no clock.
 */
final class UpstreamRequest {

    private UpstreamRequest() {
    }

    /**
     * Rebuilds {@code headers} (what the policy kept) in place for the child: no Expect (the front answered it), no
     * Transfer-Encoding or client Content-Length (the body is whole, {@code bodyLength} bytes), no Upgrade (the
     * front speaks HTTP/1.1 only) except for a WebSocket handshake the front forwards as one.
     *
     * @param webSocket the request is a WebSocket handshake that got its place under {@code --max-websockets}
     */
    static HttpHeaders rebuild(HttpHeaders headers, HttpMethod method, long bodyLength, boolean webSocket) {
        headers.remove(HttpHeaderNames.EXPECT)
                .remove(HttpHeaderNames.TRANSFER_ENCODING)
                .remove(HttpHeaderNames.CONTENT_LENGTH)
                .remove(HttpHeaderNames.UPGRADE); // h2c and every other upgrade: the front speaks HTTP/1.1 only
        if (webSocket) {
            // The policy removed both as hop-by-hop; this hop needs them too, naming only the protocol allowed.
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                    .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        }
        if (bodyLength > 0 || expectsBody(method)) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, bodyLength);
        }
        return headers;
    }

    /** Methods whose request has a body by definition: an empty one is still said, as {@code Content-Length: 0}. */
    static boolean expectsBody(HttpMethod method) {
        return method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT) || method.equals(HttpMethod.PATCH);
    }

    /**
     * {@code --deadline-header}: the milliseconds the request may still take, {@code --request-timeout} less the time
     * it waited in the front (for a slot, the child, a connection), at least 0.
     */
    static long deadlineMillis(long requestTimeoutNanos, long waitedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(Math.max(0, requestTimeoutNanos - waitedNanos));
    }
}
