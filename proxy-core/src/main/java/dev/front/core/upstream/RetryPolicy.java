package dev.front.core.upstream;

import io.netty.handler.codec.http.HttpMethod;
import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.Set;

/**
 * Whether a request whose connection failed before any response byte may be sent again: once after a kept-alive
 * connection turned out dead (any method when the bytes never left, else only idempotent ones), and once more for an
 * idempotent request whose fresh connection was reset (a child dying or restarting accepts and drops). A request
 * that may have reached the child is never resent when repeating it could do harm. One per request.
 */
final class RetryPolicy {

    /** Methods a second try cannot harm (RFC 9110 9.2.2): only these are resent after bytes may have left. */
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

    private final boolean idempotent;
    private boolean retriedPooled;
    private boolean retriedFresh;

    RetryPolicy(HttpMethod method) {
        this.idempotent = IDEMPOTENT.contains(method);
    }

    /**
     * Whether to send again after the connection failed; counts the retry when it says yes.
     *
     * @param reused   the failed connection was a kept-alive one
     * @param sendFailed writing the request failed, so none of it reached the child
     */
    boolean mayRetry(boolean reused, boolean sendFailed) {
        if (reused && !retriedPooled && (sendFailed || idempotent)) {
            retriedPooled = true;
            return true;
        }
        if (!reused && !retriedFresh && idempotent) {
            retriedFresh = true;
            return true;
        }
        return false;
    }

    /** A retry goes on a fresh connection: a second parked one is as likely dead as the first. */
    boolean retried() {
        return retriedPooled || retriedFresh;
    }

    /**
     * Whether a connect failed because nothing listens yet, so that trying again a moment later may succeed:
     * refused, or a Unix socket whose file does not exist (removed with a crashed child and not yet bound again):
     * the native transports report ENOENT as FileNotFoundException, NIO as a plain SocketException.
     */
    static boolean refused(Throwable cause) {
        return cause instanceof ConnectException || cause instanceof FileNotFoundException
                || cause instanceof SocketException && "No such file or directory".equals(cause.getMessage());
    }
}
