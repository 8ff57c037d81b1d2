package dev.front.staticfiles;

import dev.front.core.connection.ErrorResponses;
import dev.front.core.http.Failure;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The small responses of the static file service that carry no file: errors (a one-line text body) and redirects. */
final class StatusResponses {


    private StatusResponses() {
    }

    /** A status with a one-line text body (left out for HEAD, whose headers stay those of GET). */
    static ResponsePlan of(HttpResponseStatus status, RequestFacts request) {
        return of(status, status.code() + " " + status.reasonPhrase() + "\n", request);
    }

    /**
     * A 5xx that failed on the front's side, with its error id in the body and the headers every failure answer
     * carries (error id, Retry-After: {@link ErrorResponses#failureHeaders}).
     */
    static ResponsePlan failure(Failure failure, String errorId, String requestId, RequestFacts request) {
        HttpResponseStatus status = failure.status();
        ResponsePlan plan = of(status, ErrorResponses.text(status, errorId, requestId), request);
        ErrorResponses.failureHeaders(plan.head().headers(), failure, errorId);
        return plan;
    }

    private static ResponsePlan of(HttpResponseStatus status, String text, RequestFacts request) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        HttpResponse head = ResponseHeads.of(status);
        HttpHeaders headers = head.headers();
        headers.set(HttpHeaderNames.DATE, HttpDates.now());
        headers.set(HttpHeaderNames.CONTENT_TYPE, ResponseHeads.TEXT);
        headers.set(ResponseHeads.X_CONTENT_TYPE_OPTIONS, ResponseHeads.NOSNIFF);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
            headers.set(HttpHeaderNames.ALLOW, ResponseHeads.ALLOW_GET_HEAD);
        }
        return request.head() ? ResponsePlan.headOnly(head) : new ResponsePlan(head, List.of(new ResponsePlan.Bytes(body)));
    }

    /** 301 to a relative location; an empty body, so HEAD and GET are the same. */
    static ResponsePlan redirect(String location) {
        // validated like any head: the location carries the client's query (already checked by the router)
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY);
        head.headers()
                .set(HttpHeaderNames.DATE, HttpDates.now())
                .set(HttpHeaderNames.LOCATION, location)
                .set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
        return ResponsePlan.headOnly(head);
    }
}
