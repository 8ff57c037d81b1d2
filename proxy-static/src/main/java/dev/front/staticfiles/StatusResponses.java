package dev.front.staticfiles;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The small responses of the static file service that carry no file: errors (a one-line text body) and redirects. */
final class StatusResponses {

    static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("x-content-type-options");
    static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
    private static final String TEXT = "text/plain; charset=utf-8";

    private StatusResponses() {
    }

    /** A status with a one-line text body (left out for HEAD, whose headers stay those of GET). */
    static ResponsePlan of(HttpResponseStatus status, RequestFacts request) {
        byte[] body = (status.code() + " " + status.reasonPhrase() + "\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        HttpHeaders headers = head.headers();
        headers.set(HttpHeaderNames.DATE, HttpDates.now());
        headers.set(HttpHeaderNames.CONTENT_TYPE, TEXT);
        headers.set(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
            headers.set(HttpHeaderNames.ALLOW, "GET, HEAD");
        } else if (status.equals(HttpResponseStatus.SERVICE_UNAVAILABLE)) {
            headers.set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        return request.head() ? ResponsePlan.headOnly(head) : new ResponsePlan(head, List.of(new ResponsePlan.Bytes(body)));
    }

    /** 301 to a relative location; an empty body, so HEAD and GET are the same. */
    static ResponsePlan redirect(String location) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY);
        head.headers()
                .set(HttpHeaderNames.DATE, HttpDates.now())
                .set(HttpHeaderNames.LOCATION, location)
                .set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
        return ResponsePlan.headOnly(head);
    }
}
