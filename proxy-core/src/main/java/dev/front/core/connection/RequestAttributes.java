package dev.front.core.connection;

import io.netty.util.AttributeKey;

/**
 * Facts about the current request of a client connection that the code answering it knows and the
 * {@code observe.RequestObserverHandler} (access log, metrics) reads when the response head goes out. Channel attributes,
 * because one request at a time is answered per connection and the observer sits outside the router.
 */
public final class RequestAttributes {

    /** Set by the router once it has chosen where the request goes; unset means the front answered by itself. */
    public static final AttributeKey<RouteKind> ROUTE = AttributeKey.valueOf("front.route");

    /**
     * The id of a failure answer (400, 502, 504 ...; see {@link ErrorResponses#report}), set just before that answer
     * is written; it goes into the access log so that its line and the stderr line can be matched. Read and cleared
     * with each response.
     */
    public static final AttributeKey<String> ERROR_ID = AttributeKey.valueOf("front.errorId");

    /** The current request's id ({@link RequestIdHandler}), for the access log and the front's error lines. */
    public static final AttributeKey<String> REQUEST_ID = AttributeKey.valueOf("front.requestId");

    /**
     * Set by the forwarding relay just before it writes a response head relayed from the child: its body may be
     * compressed on the way out ({@code compress.ResponseCompressor} reads and clears it with that head). Never set for
     * the front's own answers or for files, whose encodings the static service chooses itself.
     */
    public static final AttributeKey<Boolean> ENCODABLE = AttributeKey.valueOf("front.encodable");

    /**
     * The current request asks for HTML ({@link ErrorPages#wantsHtml}), set by the router for each request head and
     * cleared when its exchange ends; only read when {@link #ERROR_PAGES} is set.
     */
    public static final AttributeKey<Boolean> WANTS_HTML = AttributeKey.valueOf("front.wantsHtml");

    /** {@code --error-document}'s pages, set on each client connection when there are any. */
    public static final AttributeKey<ErrorPages> ERROR_PAGES = AttributeKey.valueOf("front.errorPages");

    private RequestAttributes() {
    }
}
