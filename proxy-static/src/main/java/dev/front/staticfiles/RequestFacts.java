package dev.front.staticfiles;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.util.Iterator;
import java.util.Map;

/**
 * What the static file service needs from a request, copied on the event loop before the work moves to the
 * file-system executor, so that no thread but the channel's touches the Netty request afterwards.
 * Header lists that may be split over several lines are joined with commas (RFC 9110 §5.3).
 */
record RequestFacts(boolean head, boolean http10KeepAlive, String range, String ifRange, String ifMatch,
                    String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince, String acceptEncoding) {

    /** A singleton field seen more than once: remembered so that the field is then ignored. */
    private static final String TWICE = new String("(sent twice)");

    /**
     * One pass over the request's header lines (a typical request has a handful, and none of these), rather than a
     * lookup and a list per field.
     */
    static RequestFacts of(HttpRequest request) {
        String range = null;
        String ifRange = null;
        String ifMatch = null;
        String ifNoneMatch = null;
        String ifModifiedSince = null;
        String ifUnmodifiedSince = null;
        String acceptEncoding = null;
        Iterator<Map.Entry<CharSequence, CharSequence>> lines = request.headers().iteratorCharSequence();
        while (lines.hasNext()) {
            Map.Entry<CharSequence, CharSequence> line = lines.next();
            CharSequence name = line.getKey();
            CharSequence value = line.getValue();
            switch (name.length()) {
                case 5 -> {
                    if (is(name, HttpHeaderNames.RANGE)) {
                        range = single(range, value);
                    }
                }
                case 8 -> {
                    if (is(name, HttpHeaderNames.IF_MATCH)) {
                        ifMatch = list(ifMatch, value);
                    } else if (is(name, HttpHeaderNames.IF_RANGE)) {
                        ifRange = single(ifRange, value);
                    }
                }
                case 13 -> {
                    if (is(name, HttpHeaderNames.IF_NONE_MATCH)) {
                        ifNoneMatch = list(ifNoneMatch, value);
                    }
                }
                case 15 -> {
                    if (is(name, HttpHeaderNames.ACCEPT_ENCODING)) {
                        acceptEncoding = list(acceptEncoding, value);
                    }
                }
                case 17 -> {
                    if (is(name, HttpHeaderNames.IF_MODIFIED_SINCE)) {
                        ifModifiedSince = single(ifModifiedSince, value);
                    }
                }
                case 19 -> {
                    if (is(name, HttpHeaderNames.IF_UNMODIFIED_SINCE)) {
                        ifUnmodifiedSince = single(ifUnmodifiedSince, value);
                    }
                }
                default -> {
                    // not a field the service reads
                }
            }
        }
        return new RequestFacts(
                HttpMethod.HEAD.equals(request.method()),
                request.protocolVersion().equals(HttpVersion.HTTP_1_0) && HttpUtil.isKeepAlive(request),
                once(range), once(ifRange), ifMatch, ifNoneMatch, once(ifModifiedSince), once(ifUnmodifiedSince),
                acceptEncoding);
    }

    private static boolean is(CharSequence name, AsciiString field) {
        return AsciiString.contentEqualsIgnoreCase(name, field);
    }

    /**
     * A singleton field sent more than once is invalid; RFC 9110 lets the recipient ignore it, which for every field
     * read this way means "no condition" or "no range".
     */
    private static String single(String seen, CharSequence value) {
        return seen == null ? value.toString() : TWICE;
    }

    @SuppressWarnings("StringEquality") // the marker is compared by identity on purpose: no header value is it
    private static String once(String value) {
        return value == TWICE ? null : value;
    }

    private static String list(String seen, CharSequence value) {
        return seen == null ? value.toString() : seen + "," + value;
    }
}
