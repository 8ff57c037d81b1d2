package dev.front.core.compress;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Locale;

/**
 * Which responses are compressed, and what compressing one changes in its head. Pure: no channel.
 */
public final class ResponseEncoding {

    /**
     * Bodies known to be shorter are sent as they are: below about one TCP segment, compression saves no packet and
     * costs the encoder's setup and the coding's header and trailer.
     */
    public static final long MIN_LENGTH = 1024;

    private static final AsciiString ACCEPT_ENCODING = AsciiString.cached("Accept-Encoding");

    private ResponseEncoding() {
    }

    /**
     * Whether this response could be compressed, whatever the client accepts: a body of a compressible type
     * ({@link CompressibleTypes}) that is not encoded already (any Content-Encoding, {@code identity} included, is
     * the sender's word), not {@code Cache-Control: no-transform} (RFC 9110 §7.7), not a 204, 206 or 304, and not
     * known to be shorter than {@link #MIN_LENGTH}.
     *
     * @param length the body's length when known (Content-Length, or the whole body at hand), else -1
     */
    public static boolean candidate(HttpResponse response, long length) {
        int code = response.status().code();
        if (code < 200 || code == 204 || code == 206 || code == 304) {
            return false;
        }
        HttpHeaders headers = response.headers();
        if (length >= 0 && length < MIN_LENGTH || headers.contains(HttpHeaderNames.CONTENT_ENCODING)
                || headers.contains(HttpHeaderNames.CONTENT_RANGE)
                || !CompressibleTypes.compressible(headers.get(HttpHeaderNames.CONTENT_TYPE))) {
            return false;
        }
        for (String value : headers.getAll(HttpHeaderNames.CACHE_CONTROL)) {
            if (value.toLowerCase(Locale.ROOT).contains("no-transform")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds {@code Accept-Encoding} to Vary, merged into the values already there: a cache must not hand a compressed
     * body to a client that did not ask for one, nor the identity body to every client after one that did not.
     * Nothing to add after {@code Vary: *} or when Accept-Encoding is named already.
     */
    public static void vary(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.VARY);
        if (values.isEmpty()) {
            headers.set(HttpHeaderNames.VARY, ACCEPT_ENCODING);
            return;
        }
        StringBuilder merged = new StringBuilder();
        for (String value : values) {
            for (String member : value.split(",")) {
                String name = member.strip();
                if (name.equals("*") || name.equalsIgnoreCase("accept-encoding")) {
                    return;
                }
                if (!name.isEmpty()) {
                    merged.append(merged.isEmpty() ? "" : ", ").append(name);
                }
            }
        }
        headers.set(HttpHeaderNames.VARY, merged.append(merged.isEmpty() ? "" : ", ").append(ACCEPT_ENCODING));
    }

    /**
     * The head of the compressed representation: its Content-Encoding, no Content-Length (the caller frames the
     * body), and a strong ETag made weak (as nginx does): the compressed bytes are not the ones the tag was made
     * for, while a weak tag still lets the child answer a revalidation ({@code If-None-Match} compares weakly) with
     * a 304.
     */
    public static void encoded(HttpHeaders headers, Coding coding) {
        headers.set(HttpHeaderNames.CONTENT_ENCODING, coding.headerValue());
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        String etag = headers.get(HttpHeaderNames.ETAG);
        if (etag != null && etag.startsWith("\"")) {
            headers.set(HttpHeaderNames.ETAG, "W/" + etag);
        }
    }
}
