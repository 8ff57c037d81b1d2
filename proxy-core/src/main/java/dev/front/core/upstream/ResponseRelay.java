package dev.front.core.upstream;

import dev.front.core.connection.RequestAttributes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;

/**
 * The child's response on its way to the client: the head held until the end of the read that brought it, the body
 * straight to the client while it keeps up (its outbound buffer up to the high water mark is the memory buffer),
 * else to a {@link ResponseSpool} so the child is never held back by a slow client, and the end written with the
 * body's last bytes (and the head, when the whole response came in one read). Runs on the client's event loop.
 */
final class ResponseRelay {

    private final ChannelHandlerContext client;
    private final Path tempDir;
    /** {@code --max-temp-file-size}: 0 turns spooling off (the child is read at the client's pace). */
    private final long maxTempFileSize;
    private final Logger log;
    /** Run when the spool made progress: the exchange may read on from the child, or finish. */
    private final Runnable progress;
    private ResponseSpool spool;
    /** The head, held until the rest of the read that brought it is known (see {@link #writeHead}). */
    private HttpResponse head;
    /** The last bytes of the body, sent with the response's end. */
    private ByteBuf lastContent;

    ResponseRelay(ChannelHandlerContext client, Path tempDir, long maxTempFileSize, Logger log, Runnable progress) {
        this.client = client;
        this.tempDir = tempDir;
        this.maxTempFileSize = maxTempFileSize;
        this.log = log;
        this.progress = progress;
    }

    /** Holds the response's head: it goes out with the body's first bytes, at the end of the read, or with the end. */
    void head(HttpResponse response) {
        head = response;
    }

    /** The response head, unless it went out already; it waits at most until the end of the read that brought it. */
    void writeHead() {
        if (head != null) {
            encodable();
            client.write(head);
            head = null;
        }
    }

    /** True when nothing waits in the spool: new bytes may go straight to the client without overtaking any. */
    boolean drained() {
        return spool == null || spool.isEmpty();
    }

    /** The body's last bytes, kept to go out with the response's end ({@link #end}). */
    void last(ByteBuf data) {
        lastContent = data;
    }

    /** A piece of the body: to the client at once while it keeps up and nothing is spooled, else to the spool. */
    void body(ByteBuf data) {
        if (!client.channel().isActive()) {
            // The client left (a write to it failed) and its channelInactive, which aborts the exchange, is on its
            // way: what the child still sends in this read is nobody's. Unwritable here would mean spooling it.
            data.release();
            return;
        }
        writeHead();
        if (drained() && (client.channel().isWritable() || !spooling())) {
            client.write(new DefaultHttpContent(data));
            return;
        }
        try {
            if (spool == null) {
                spool = new ResponseSpool(client, tempDir, maxTempFileSize, progress, this::cannotSpool);
            }
            spool.append(data);
        } catch (IOException e) {
            cannotSpool(e);
            client.write(new DefaultHttpContent(data)); // the client's own buffer takes it; reads pause on writability
        }
    }

    /** The spool cannot grow: the response goes on at the client's pace (see {@link ResponseSpool}). */
    private void cannotSpool(Throwable cause) {
        log.warn("cannot buffer a response in {}: {}; the rest goes at the client's pace", tempDir, cause.toString());
    }

    private boolean spooling() {
        return maxTempFileSize > 0;
    }

    /** Whether the child may be read on: the client takes more, or the spool does. */
    boolean hasRoom() {
        return client.channel().isWritable() ? (spool == null || spool.isEmpty() || spool.hasRoom())
                : spooling() && (spool == null || spool.hasRoom());
    }

    /** Hands the client what the spool holds, as far as it is writable. */
    void drain() {
        if (spool != null) {
            spool.drain();
        }
    }

    /** The last message of the response: whatever of the head and the body's end has not gone out yet. */
    HttpContent end() {
        ByteBuf data = lastContent == null ? Unpooled.EMPTY_BUFFER : lastContent;
        lastContent = null;
        HttpResponse held = head;
        head = null;
        if (held != null) {
            encodable();
            return new DefaultFullHttpResponse(held.protocolVersion(), held.status(), data, held.headers(),
                    EmptyHttpHeaders.INSTANCE);
        }
        return data.isReadable() ? new DefaultLastHttpContent(data) : LastHttpContent.EMPTY_LAST_CONTENT;
    }

    /**
     * The head going out is the child's: its body may be compressed ({@code --compress-responses}). Set right before
     * the head is written, on this event loop, so the mark never outlives that write and reaches no other response.
     */
    private void encodable() {
        client.channel().attr(RequestAttributes.ENCODABLE).set(Boolean.TRUE);
    }

    void release() {
        if (spool != null) {
            spool.release();
        }
        if (lastContent != null) {
            lastContent.release();
            lastContent = null;
        }
    }
}
