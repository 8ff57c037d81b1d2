package dev.front.core.upstream;

import dev.front.core.alias.AliasRequest;
import dev.front.core.alias.Offload;
import dev.front.core.observe.UpstreamError;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import java.io.IOException;

/**
 * The child's final response to one forwarded request, from its head to the client having all of it: relayed through
 * a {@link ResponseRelay}, or replaced by the file the child named in {@code --sendfile-header}. When the child's end
 * comes, its connection is parked (or closed) and its slot freed at once, whatever the client's pace; a response the
 * child cut short reaches the client as a close.
 * <pre>
 *  RELAYING -----------> FLUSHING -----------> DONE
 *    the body comes        the child is done;    the client has it all (or, after a cut, the close)
 *    from the child        the spool empties
 * </pre>
 */
final class ChildResponse {

    private enum State { RELAYING, FLUSHING, DONE }

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final ForwardingService service;
    private final Channel upstream;
    private final ChannelPromise done;
    /** Frees what the exchange holds (its body, and this response's spool) once, at the end. */
    private final Runnable release;
    /** The request's place under {@code --max-concurrency}: the response's until the child is done. */
    private ConcurrencyLimiter.Ticket slot;
    private final ResponseRelay relay;
    /** The file the child named in {@code --sendfile-header}, served in place of its body; {@code null} if none. */
    private final AliasRequest offloaded;
    private final HttpHeaders offloadedHeaders;
    private State state = State.RELAYING;
    private boolean upstreamKeepAlive;
    private boolean childDone;
    private boolean truncated;

    /**
     * @param slot      the request's place under {@code --max-concurrency}, freed here when the child is done
     * @param head      the child's final head, checked; relayed unless {@code offloaded} replaces it
     * @param keepAlive whether the child connection may be reused once the response is whole
     */
    ChildResponse(ChannelHandlerContext ctx, HttpRequest request, ForwardingService service, Channel upstream,
                  ConcurrencyLimiter.Ticket slot, HttpResponse head, boolean keepAlive, AliasRequest offloaded,
                  ChannelPromise done, Runnable release) {
        this.ctx = ctx;
        this.request = request;
        this.service = service;
        this.upstream = upstream;
        this.slot = slot;
        this.done = done;
        this.release = release;
        this.offloaded = offloaded;
        this.offloadedHeaders = offloaded == null ? null : Offload.kept(head.headers());
        this.relay = new ResponseRelay(ctx, service.config().tempDirectory(), service.config().maxTempFileSize(),
                service.log(), this::spoolProgress);
        upstreamKeepAlive = keepAlive;
        if (offloaded == null && RelayedHead.relay(request, head)) {
            upstreamKeepAlive = false;
        }
        if (offloaded == null) {
            relay.head(head); // else the file's own head goes instead
        }
    }

    /** Whether the child has sent all it will: its connection is no longer this response's. */
    boolean childDone() {
        return childDone;
    }

    /** Whether the response is over and the child still sends: those bytes make its connection unusable. */
    boolean over() {
        return state != State.RELAYING;
    }

    void content(HttpContent content) {
        if (offloaded != null) {
            // The child's body in an offload answer is not the file: dropped, read to its end to keep the connection.
            boolean last = content instanceof LastHttpContent;
            if (content.decoderResult().isFailure()) {
                upstreamKeepAlive = false;
                last = true;
            }
            content.release();
            if (last) {
                upstreamDone();
            }
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            service.metrics().upstreamError(UpstreamError.MALFORMED);
            truncated();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (last && relay.drained() && ctx.channel().isWritable()) {
            // The end of the body goes out with the end of the response, and with its head too when the whole
            // response came in one read: one message through the pipeline instead of three.
            if (content.content().isReadable()) {
                relay.last(content.content().retain());
            }
            content.release(); // the child's trailers are not passed on
            upstreamDone();
            return;
        }
        if (content.content().isReadable()) {
            relay.body(content.content().retain());
        }
        content.release(); // the child's trailers are not passed on
        if (last) {
            upstreamDone();
        }
    }

    /** The child sent its whole response: its slot and connection are freed now, whatever the client's pace. */
    private void upstreamDone() {
        childFinished();
        if (upstreamKeepAlive && upstream.isActive()) {
            service.park(ctx.channel(), upstream);
        } else {
            upstream.pipeline().get(UpstreamHandler.class).detach();
            upstream.close();
        }
        state = State.FLUSHING;
        finishWhenFlushed();
    }

    /**
     * The response was cut short after its head (the child closed, or its framing broke): what came is passed on,
     * then the client connection closes so the client sees the loss (no last chunk, fewer bytes than announced).
     */
    void truncated() {
        if (state != State.RELAYING) {
            return;
        }
        truncated = true;
        childFinished();
        UpstreamHandler handler = upstream.pipeline().get(UpstreamHandler.class);
        if (handler != null) {
            handler.detach();
        }
        upstream.close();
        state = State.FLUSHING;
        finishWhenFlushed();
    }

    /** Ends the client's response once the spool has handed everything over. */
    private void finishWhenFlushed() {
        if (state != State.FLUSHING || !relay.drained()) {
            ctx.flush();
            return;
        }
        state = State.DONE;
        if (offloaded != null) {
            service.offload().serve(ctx, request, offloaded, offloadedHeaders).addListener(this::ended);
        } else if (truncated) {
            relay.writeHead();
            // The cut shows as a close, once all that came before it is out: the router closes too when done fails.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
                release.run();
                ctx.close();
                done.tryFailure(new IOException("the child's response was truncated"));
            });
        } else {
            ctx.writeAndFlush(relay.end()).addListener((ChannelFutureListener) this::ended);
        }
    }

    private void ended(Future<?> written) {
        release.run();
        if (written.isSuccess()) {
            done.trySuccess();
        } else {
            done.tryFailure(written.cause());
        }
    }

    private void spoolProgress() {
        if (state == State.RELAYING) {
            readIfRoom();
        } else if (state == State.FLUSHING) {
            relay.drain();
            finishWhenFlushed();
        }
    }

    /** The end of a read burst from the child. */
    void readComplete() {
        if (state == State.RELAYING) {
            relay.writeHead(); // a streamed response's head goes out before its body has come
            ctx.flush(); // once per read burst
            readIfRoom();
        }
    }

    void clientWritable() {
        relay.drain();
        if (state == State.RELAYING) {
            readIfRoom();
        } else if (state == State.FLUSHING) {
            finishWhenFlushed();
        }
    }

    private void readIfRoom() {
        if (relay.hasRoom()) {
            upstream.read();
        }
    }

    private void childFinished() {
        childDone = true;
        releaseSlot();
    }

    private void releaseSlot() {
        if (slot != null) {
            slot.release();
            slot = null;
        }
    }

    void release() {
        releaseSlot();
        relay.release();
    }
}
