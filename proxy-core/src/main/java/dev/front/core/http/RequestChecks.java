package dev.front.core.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;

/**
 * The front's own checks of a request head that the codec decoded without complaint: limits the codec does not
 * know (per-field size, field count), the one transfer coding the front accepts, and the Host
 * ({@link HostSyntax}). A request that fails
 * any is answered by the front and the connection closed; it never reaches the child.
 */
public final class RequestChecks {

    /** Largest single field line (name, colon, space, value), like nginx's large_client_header_buffers. */
    static final int MAX_FIELD_SIZE = 8 * 1024;
    static final int MAX_FIELDS = 100;
    /** Largest request line (the codec enforces it, answered 414) and whole head (431). */
    public static final int MAX_REQUEST_LINE = 8 * 1024;
    public static final int MAX_HEAD_SIZE = 32 * 1024;

    private RequestChecks() {
    }

    /** Why {@code request} is refused, or {@code null} when it may go on. */
    public static Failure refusal(HttpRequest request) {
        HttpVersion version = request.protocolVersion();
        if (!version.equals(HttpVersion.HTTP_1_1) && !version.equals(HttpVersion.HTTP_1_0)) {
            return Failure.unsupportedVersion(version.text());
        }
        HttpHeaders headers = request.headers();
        if (headers.size() > MAX_FIELDS) {
            return Failure.tooManyFields(headers.size());
        }
        for (Map.Entry<String, String> field : headers) {
            int size = field.getKey().length() + 2 + field.getValue().length();
            if (size > MAX_FIELD_SIZE) {
                return Failure.fieldTooLarge(field.getKey(), size);
            }
        }
        if (unsupportedCoding(request)) {
            return Failure.unsupportedCoding(String.join(", ", request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING)));
        }
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1 || (hosts.isEmpty() && version.equals(HttpVersion.HTTP_1_1))) {
            return Failure.badHost(hosts.size());
        }
        if (hosts.size() == 1 && !HostSyntax.valid(hosts.get(0))) {
            return Failure.invalidHost(hosts.get(0));
        }
        return null;
    }

    /**
     * A Transfer-Encoding other than one final {@code chunked} on an HTTP/1.1 request: the codec accepts
     * "gzip, chunked" and refuses "chunked, gzip" as malformed, but the front decodes no transfer coding, so
     * both are 501 (RFC 9112 6.1).
     */
    public static boolean unsupportedCoding(HttpRequest request) {
        List<String> codings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        return request.protocolVersion().equals(HttpVersion.HTTP_1_1) && !codings.isEmpty()
                && (codings.size() > 1 || !codings.get(0).trim().equalsIgnoreCase("chunked"));
    }
}
