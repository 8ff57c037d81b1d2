package dev.front.core.observe;

import dev.front.core.connection.RouteKind;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * One answered request, as the access log writes it.
 *
 * @param startMillis     when the request head arrived (epoch milliseconds)
 * @param client          the client address as the forwarded-header policy derives it (what the child is told)
 * @param peer            the address of the connection's peer
 * @param method          the request method
 * @param target          the request target as sent
 * @param protocol        {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param status          the response status sent; 0 when none was
 * @param complete        false when the connection ended before the response was complete
 * @param bytesIn         request body bytes
 * @param bytesOut        response body bytes
 * @param durationNanos   from the request head to the last response byte handed to the kernel
 * @param route           who answered
 * @param errorId         the id of the front's error answer, or {@code null}
 * @param requestId       the request's id ({@code --request-id-header}), or {@code null} for an answer to no request
 * @param requestHeaders  the request's header lines
 * @param responseHeaders the response's header lines, or {@code null} when none was sent
 */
record RequestRecord(long startMillis, String client, String peer, String method, String target, String protocol,
                     int status, boolean complete, long bytesIn, long bytesOut, long durationNanos, RouteKind route, String errorId,
                     String requestId, HttpHeaders requestHeaders, HttpHeaders responseHeaders) {
}
