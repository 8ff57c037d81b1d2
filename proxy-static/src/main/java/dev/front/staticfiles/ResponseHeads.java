package dev.front.staticfiles;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * Response heads of the static file service. Every name and value put in them is a constant or was built by the
 * service from the file system (dates, numbers, tags, table entries), never from request bytes, so Netty's per-header
 * validation is skipped: it was a measurable share of a small file's cost. Values are {@link AsciiString}s, which the
 * encoder copies as bytes instead of encoding char by char.
 */
final class ResponseHeads {

    private static final HttpHeadersFactory TRUSTED = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("x-content-type-options");
    static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
    static final AsciiString ACCEPT_ENCODING = AsciiString.cached("Accept-Encoding");
    static final AsciiString ALLOW_GET_HEAD = AsciiString.cached("GET, HEAD");
    static final AsciiString TEXT = AsciiString.cached("text/plain; charset=utf-8");

    private ResponseHeads() {
    }

    static HttpResponse of(HttpResponseStatus status) {
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, TRUSTED);
    }
}
