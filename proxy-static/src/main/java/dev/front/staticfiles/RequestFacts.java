package dev.front.staticfiles;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * What the static file service needs from a request, copied on the event loop before the work moves to the
 * file-system executor, so that no thread but the channel's touches the Netty request afterwards.
 * Header lists that may be split over several lines are joined with commas (RFC 9110 §5.3).
 */
record RequestFacts(boolean head, boolean http10KeepAlive, String range, String ifRange, String ifMatch,
                    String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince, String acceptEncoding) {

    static RequestFacts of(HttpRequest request) {
        HttpHeaders headers = request.headers();
        return new RequestFacts(
                HttpMethod.HEAD.equals(request.method()),
                request.protocolVersion().equals(HttpVersion.HTTP_1_0) && HttpUtil.isKeepAlive(request),
                single(headers, HttpHeaderNames.RANGE),
                single(headers, HttpHeaderNames.IF_RANGE),
                list(headers, HttpHeaderNames.IF_MATCH),
                list(headers, HttpHeaderNames.IF_NONE_MATCH),
                single(headers, HttpHeaderNames.IF_MODIFIED_SINCE),
                single(headers, HttpHeaderNames.IF_UNMODIFIED_SINCE),
                list(headers, HttpHeaderNames.ACCEPT_ENCODING));
    }

    /**
     * A singleton field sent more than once is invalid; RFC 9110 lets the recipient ignore it, which for every field
     * read this way means "no condition" or "no range".
     */
    private static String single(HttpHeaders headers, CharSequence name) {
        var values = headers.getAll(name);
        return values.size() == 1 ? values.getFirst() : null;
    }

    private static String list(HttpHeaders headers, CharSequence name) {
        var values = headers.getAll(name);
        return values.isEmpty() ? null : String.join(",", values);
    }
}
