package dev.front.core.connection;

import io.netty.handler.codec.http.HttpContent;

/**
 * One request being answered on a client connection. The router creates it for the request head, feeds it the
 * request's content, and reads the next pipelined request only when the exchange completes the promise it was
 * given (success: the response is fully written; failure: the connection is closed).
 */
public interface Exchange {

    /**
     * Starts the exchange once the router holds it: anything it reads may arrive at once, and must find it there.
     */
    void begin();

    /** A piece of the request body; the exchange owns (and must release) it. */
    void content(HttpContent content);

    /** The client connection became writable again (backpressure on the response). */
    default void clientWritable() {
    }

    /** The client connection is gone; release everything. */
    void abort();
}
