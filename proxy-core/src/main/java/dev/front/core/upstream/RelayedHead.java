package dev.front.core.upstream;

import dev.front.core.http.HopByHopHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The child's response head as the client gets it, and the verdict on its framing. Pure: no channel.
 */
final class RelayedHead {

    private RelayedHead() {
    }

    /** Both Content-Length and Transfer-Encoding, or several lengths: the child's framing cannot be trusted. */
    static boolean wellFramed(HttpResponse response) {
        HttpHeaders headers = response.headers();
        return !(headers.contains(HttpHeaderNames.CONTENT_LENGTH) && headers.contains(HttpHeaderNames.TRANSFER_ENCODING))
                && headers.getAll(HttpHeaderNames.CONTENT_LENGTH).size() <= 1;
    }

    /**
     * Turns {@code response} in place into the head the client gets: the child's minus its hop-by-hop headers, HTTP/1.1,
     * the client's keep-alive being the front's decision; a body the child ends by closing is streamed chunked to an
     * HTTP/1.1 client (with a real end marker).
     *
     * @return whether the child ends this body by closing its connection, which then cannot be reused
     */
    static boolean relay(HttpRequest request, HttpResponse response) {
        HttpHeaders headers = response.headers();
        HopByHopHeaders.removeFrom(headers);
        boolean framed = HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response);
        int code = response.status().code();
        boolean bodyless = request.method().equals(HttpMethod.HEAD) || code == 204 || code == 304;
        boolean closeDelimited = false;
        if (bodyless) {
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            if (code == 204) {
                headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            }
        } else if (!framed) {
            closeDelimited = true; // the child ends its body by closing
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                HttpUtil.setTransferEncodingChunked(response, true); // streams on, with a real end marker
            }
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (!HttpUtil.isKeepAlive(request)) {
            HttpUtil.setKeepAlive(response, false);
        }
        return closeDelimited;
    }
}
