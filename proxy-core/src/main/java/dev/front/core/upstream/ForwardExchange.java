package dev.front.core.upstream;

import dev.front.core.alias.AliasRequest;
import dev.front.core.alias.Offload;
import dev.front.core.connection.ErrorResponses;
import dev.front.core.connection.Exchange;
import dev.front.core.connection.ClientAddress;
import dev.front.core.connection.ListenerFacts;
import dev.front.core.http.Failure;
import dev.front.core.observe.UpstreamError;
import dev.front.core.trust.ProxyHeaderPolicy;
import dev.front.core.websocket.TunnelCap;
import dev.front.core.websocket.WebSocketHandshake;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * One forwarded request: receive the whole body (memory, then a temp file), wait for a slot and the child, send
 * the request the front rebuilt, and hand the child's final response to a {@link ChildResponse}, which relays it.
 * Everything runs on the client channel's event loop, the child connection included. Its parts:
 * {@link BodyReception} (the body, into a {@link RequestBody}), {@link UpstreamRequest} (the rebuilt head),
 * {@link RetryPolicy}, {@link RelayedHead} (the child's head and its framing), {@link ChildResponse} (the response on
 * its way to the client); what stays here is the state machine:
 * <pre>
 *  RECEIVING ---> QUEUED ------------> SENT ---------> ANSWERING ---> DONE
 *      the body     a slot, the     |     the child's     the client
 *      is whole     gate open, a    |     final head      has it all
 *                   connection      |
 *                      ^            |
 *                      +------------+ closed before a response byte, and RetryPolicy says yes
 *                                   |
 *                                   +--> UPGRADING ---> TUNNELLED
 *                                     a 101 to a     its end came: a WebSocketTunnel
 *                                     handshake
 * </pre>
 * Timers: {@code --body-timeout} in RECEIVING ({@link BodyReception}), {@code --queue-timeout} in QUEUED
 * ({@link QueueWait}, retries included), {@code --request-timeout} in SENT ({@link UpstreamHandler}). Any state
 * before ANSWERING goes to DONE at once when the front answers instead of the child; any state but TUNNELLED when
 * the client leaves.
 */
final class ForwardExchange implements Exchange, BodyReception.Outcome, QueueWait.Outcome {

    /** UPGRADING: the child's 101 head came, its end is next; TUNNELLED: the connection left HTTP for good. */
    private enum State { RECEIVING, QUEUED, SENT, ANSWERING, DONE, UPGRADING, TUNNELLED }

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final String originForm;
    private final ForwardingService service;
    private final ChannelPromise done;

    private State state = State.RECEIVING;
    private final BodyReception reception;
    /** The whole body, once {@link #reception} handed it over. */
    private RequestBody body;
    private HttpHeaders upstreamHeaders;
    /** The wait for a slot and a connection, from the whole body on; it holds the slot until the final head. */
    private QueueWait queue;
    private Channel upstream;
    private boolean reused;
    private final RetryPolicy retries;
    private boolean skippingInformational;
    private boolean sendFailed;
    /** The child's final response, from its head on (ANSWERING). */
    private ChildResponse response;
    /** When the rebuilt request was ready to go: its wait in the front from there counts against its deadline. */
    private long preparedAt;
    /** A WebSocket handshake forwarded as one (it holds a place under the tunnel cap); {@code null} if not one. */
    private ForwardedHandshake handshake;

    ForwardExchange(ChannelHandlerContext ctx, HttpRequest request, String originForm, ForwardingService service,
                    Runnable readMore, ChannelPromise done) {
        this.ctx = ctx;
        this.request = request;
        this.originForm = originForm;
        this.service = service;
        this.done = done;
        this.reception = new BodyReception(ctx, request, service, readMore, this);
        this.retries = new RetryPolicy(request.method());
    }

    @Override
    public void begin() {
        reception.begin();
    }

    @Override
    public void content(HttpContent content) {
        reception.content(content); // after RECEIVING, nothing is read from the client until the next request
    }

    /** The body is whole: the request goes on to the child. */
    @Override
    public void whole(RequestBody whole) {
        body = whole;
        prepare();
    }

    /** The body was refused: the rest of it is unread, so the connection closes after the answer. */
    @Override
    public void refused(Failure failure) {
        answer(failure, true);
    }

    /** Builds the head the child receives: origin-form, one Content-Length, canonical forwarding headers. */
    private void prepare() {
        InetSocketAddress peer = (InetSocketAddress) ClientAddress.of(ctx.channel());
        ListenerFacts listener = ctx.channel().attr(ListenerFacts.KEY).get();
        ProxyHeaderPolicy.Result result = service.policy().evaluate(peer,
                listener != null ? listener : ListenerFacts.plain(service.listenerPort()), request.headers());
        if (result instanceof ProxyHeaderPolicy.Result.Rejected rejected) {
            answer(Failure.forwardedHeaders(rejected.reason()), true);
            return;
        }
        ProxyHeaderPolicy.Result.Forward forward = (ProxyHeaderPolicy.Result.Forward) result;
        upstreamHeaders = forward.headers();
        if (forward.dropped() != ProxyHeaderPolicy.Dropped.NONE) {
            service.trustAlarm().dropped(forward.dropped(), peer);
        }
        if (service.webSockets() != null && body.length() == 0 && WebSocketHandshake.requested(request)) {
            TunnelCap.Permit place = service.webSockets().tryAcquire();
            if (place == null) {
                // --max-websockets: the child never sees it
                answer(Failure.tooManyWebSockets(service.config().maxWebSockets()), false);
                return;
            }
            handshake = new ForwardedHandshake(request, place);
        }
        UpstreamRequest.rebuild(upstreamHeaders, request.method(), body.length(), handshake != null);
        state = State.QUEUED;
        preparedAt = System.nanoTime();
        queue = new QueueWait(ctx, service, handshake != null, this);
        queue.start();
    }

    /** {@code --deadline-header}, set anew on a retry ({@link UpstreamRequest#deadlineMillis}). */
    private void setDeadline(String header) {
        upstreamHeaders.set(header, UpstreamRequest.deadlineMillis(service.limits().requestTimeout().toNanos(),
                System.nanoTime() - preparedAt));
    }

    /** The wait is over: the request goes to the child on {@code channel}. */
    @Override
    public void connected(Channel channel, boolean reused) {
        this.reused = reused;
        upstream = channel;
        state = State.SENT;
        sendFailed = false;
        upstream.pipeline().get(UpstreamHandler.class).attach(this, service.limits().requestTimeout().toNanos());
        service.config().deadlineHeader().ifPresent(this::setDeadline);
        service.requestSent(upstream);
        ChannelFuture sent = body.sendWith(upstream, request.method(), originForm, upstreamHeaders);
        sent.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() && f.channel() == upstream) {
                sendFailed = true;
                upstreamClosed(f.cause());
            }
        });
        upstream.read();
    }

    void fromUpstream(HttpObject message) {
        if (state == State.UPGRADING) {
            ReferenceCountUtil.release(message);
            if (message instanceof LastHttpContent) {
                tunnel(); // the 101 is complete: whatever the child sends next is WebSocket
            }
            return;
        }
        if (state != State.SENT && (state != State.ANSWERING || response.over())) {
            // Bytes after the end of the response (or of a HEAD/204/304 answer): the connection is not reusable.
            ReferenceCountUtil.release(message);
            retireUpstream();
            return;
        }
        if (message instanceof HttpResponse head && !responseHead(head)) {
            return;
        }
        if (message instanceof HttpContent content) {
            if (skippingInformational) {
                skippingInformational = !(content instanceof LastHttpContent);
                content.release();
            } else {
                response.content(content);
            }
        }
    }

    /** Returns false when the head was consumed here (informational, or refused). */
    private boolean responseHead(HttpResponse response) {
        if (response.decoderResult().isFailure() || state != State.SENT || !RelayedHead.wellFramed(response)) {
            ReferenceCountUtil.release(response);
            service.metrics().upstreamError(UpstreamError.MALFORMED);
            failUpstream(Failure.upstreamMalformed(service.upstreamName(), response.decoderResult().isFailure()
                    ? "a malformed response head" : "a response head whose framing cannot be trusted"));
            return false;
        }
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            ReferenceCountUtil.release(response);
            if (response.status().code() == 101 && handshake != null && handshake.acceptedBy(response)) {
                queue.stop(); // a tunnel occupies no worker of the child: --max-websockets caps tunnels
                state = State.UPGRADING;
            } else if (response.status().code() == 101) {
                service.metrics().upstreamError(UpstreamError.MALFORMED);
                // no upgrade asked for, or not the one asked for
                failUpstream(Failure.upstreamMalformed(service.upstreamName(), "a 101 to no upgrade asked for"));
            } else {
                skippingInformational = true; // 100, 102, 103: interim; the front speaks for itself to the client
            }
            return false;
        }
        Offload offload = service.offload();
        String named = offload == null ? null : response.headers().get(offload.header());
        AliasRequest offloaded = named == null ? null : offload.resolve(named);
        if (named != null && offloaded == null) {
            ReferenceCountUtil.release(response);
            failUpstream(Failure.offloadRefused(service.upstreamName(), offload.header(), named));
            return false;
        }
        state = State.ANSWERING;
        // A refused handshake: the child saw Connection: upgrade, so its connection is not reused.
        boolean keepAlive = HttpUtil.isKeepAlive(response) && handshake == null;
        if (handshake != null) {
            handshake.release();
        }
        this.response = new ChildResponse(ctx, request, service, upstream, queue.takeSlot(), response, keepAlive,
                offloaded, done, this::responseEnded);
        return true;
    }

    /**
     * The child accepted the WebSocket handshake: the client gets the 101 and both connections become a tunnel,
     * which from now on owns the child connection and the place under the tunnel cap. The exchange never completes
     * its promise: the router is gone with the other HTTP handlers, and no request follows on this connection.
     */
    private void tunnel() {
        state = State.TUNNELLED;
        Channel child = upstream;
        upstream = null;
        child.pipeline().get(UpstreamHandler.class).detach();
        handshake.tunnel(ctx.channel(), child, service.limits().socketTimeout());
        release();
        ForwardingService.clientClosed(ctx.channel()); // a child connection parked by an earlier request: unused now
    }

    void upstreamReadComplete() {
        if (state == State.ANSWERING) {
            response.readComplete();
        } else if (state == State.SENT || state == State.UPGRADING) {
            upstream.read();
        }
    }

    @Override
    public void clientWritable() {
        if (state == State.ANSWERING) {
            response.clientWritable();
        }
    }

    /** The child connection closed or failed (cause {@code null} for a plain close). */
    void upstreamClosed(Throwable cause) {
        switch (state) {
            case SENT -> {
                if (mayRetry()) {
                    retireUpstream();
                    state = State.QUEUED;
                    queue.again(reused);
                } else {
                    service.metrics().upstreamError(UpstreamError.RESET);
                    failUpstream(Failure.upstreamClosed(service.upstreamName(), cause));
                }
            }
            case ANSWERING -> {
                if (!response.over()) {
                    service.metrics().upstreamError(UpstreamError.RESET);
                    response.truncated();
                }
            }
            case UPGRADING -> {
                service.metrics().upstreamError(UpstreamError.RESET);
                failUpstream(Failure.upstreamClosed(service.upstreamName(), cause)); // before its 101 was complete
            }
            default -> {
            }
        }
    }

    /** Whether to send again, on a fresh connection, after the connection failed before any response byte. */
    private boolean mayRetry() {
        return !skippingInformational && queue.timeLeft() && retries.mayRetry(reused, sendFailed);
    }

    private void retireUpstream() {
        if (upstream != null) {
            UpstreamHandler handler = upstream.pipeline().get(UpstreamHandler.class);
            if (handler != null) {
                handler.detach();
            }
            upstream.close();
        }
    }

    private void failUpstream(Failure failure) {
        retireUpstream();
        answer(failure, false);
    }

    /** The wait for the child failed (its deadline passed, or the child cannot be reached). */
    @Override
    public void failed(Failure failure) {
        answer(failure, false);
    }

    /** {@code --request-timeout} passed since the request was sent (see {@link UpstreamHandler#attach}). */
    void requestTimedOut() {
        if (state == State.SENT) {
            service.metrics().upstreamError(UpstreamError.TIMEOUT);
            failUpstream(Failure.upstreamTimeout(service.upstreamName(), service.limits().requestTimeout()));
        }
    }

    /** The front's own answer instead of the child's; completes the exchange. */
    private void answer(Failure failure, boolean close) {
        state = State.DONE;
        release();
        FullHttpResponse response = ErrorResponses.of(ctx.channel(), failure, close || !HttpUtil.isKeepAlive(request));
        ChannelFuture written = ErrorResponses.send(ctx, response);
        written.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && !close) {
                done.trySuccess();
            } else {
                done.tryFailure(f.isSuccess() ? new IOException("connection closed after " + failure.status()) : f.cause());
            }
        });
    }

    @Override
    public void abort() {
        if (state == State.DONE || state == State.TUNNELLED) {
            return;
        }
        boolean upstreamBusy = response == null || !response.childDone();
        state = State.DONE;
        release();
        if (upstreamBusy) {
            retireUpstream();
        }
        done.tryFailure(new ClosedChannelException());
    }

    /** The child's response reached the client whole, or its cut did: nothing is left to do. */
    private void responseEnded() {
        state = State.DONE;
        release();
    }

    private void release() {
        reception.stop();
        if (queue != null) {
            queue.stop();
        }
        if (handshake != null) {
            handshake.release();
        }
        if (body != null) {
            body.release();
            body = null;
        }
        if (response != null) {
            response.release();
        }
    }
}
