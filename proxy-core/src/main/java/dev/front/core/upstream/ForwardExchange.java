package dev.front.core.upstream;

import dev.front.core.alias.AliasRequest;
import dev.front.core.alias.Offload;
import dev.front.core.connection.ErrorResponses;
import dev.front.core.connection.Exchange;
import dev.front.core.connection.ListenerFacts;
import dev.front.core.http.Failure;
import dev.front.core.observe.UpstreamError;
import dev.front.core.trust.ProxyHeaderPolicy;
import dev.front.core.websocket.TunnelCap;
import dev.front.core.websocket.WebSocketHandshake;
import dev.front.core.websocket.WebSocketTunnel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * One forwarded request: receive the whole body (memory, then a temp file), wait for a slot and for the child, send
 * the request the front rebuilt, drain the response from the child as fast as it comes (spilling what the client
 * cannot take yet to a temp file) and relay it. Everything runs on the client channel's event loop, the child
 * connection included. Its parts: {@link RequestBody} (the buffered body), {@link UpstreamRequest} (the rebuilt
 * head), {@link RetryPolicy}, {@link RelayedHead} (the child's head and its framing), {@link ResponseRelay} (the
 * response to the client, spooled when it reads slowly); what stays here is the state machine and its timers:
 * <pre>
 *  RECEIVING ---> QUEUED ---> WAITING -------> SENT ---> RELAYING ---> FLUSHING ---> DONE
 *      the body     a slot     the gate is   |     the       the child's    the client
 *      is whole                open, a       |     head      end came       has it all
 *                              connection    |
 *                                ^           |
 *                                +-----------+ closed before a response byte, and RetryPolicy says yes
 *                                            |
 *                                            +--> UPGRADING ---> TUNNELLED
 *                                              a 101 to a     its end came: a WebSocketTunnel
 *                                              handshake
 * </pre>
 * Timers: {@code --body-timeout} in RECEIVING, {@code --queue-timeout} in QUEUED and WAITING (retries included),
 * {@code --request-timeout} in SENT ({@link UpstreamHandler}). Any state but TUNNELLED goes to DONE at once when the
 * front answers instead of the child, or when the client leaves.
 */
final class ForwardExchange implements Exchange {

    /** UPGRADING: the child's 101 head came, its end is next; TUNNELLED: the connection left HTTP for good. */
    private enum State { RECEIVING, QUEUED, WAITING, SENT, RELAYING, FLUSHING, DONE, UPGRADING, TUNNELLED }

    private static final long CONNECT_RETRY_MILLIS = 100;

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final String originForm;
    private final ForwardingService service;
    private final Runnable readMore;
    private final ChannelPromise done;

    private State state = State.RECEIVING;
    private RequestBody body;
    private HttpHeaders upstreamHeaders;
    private ConcurrencyLimiter.Ticket slot;
    private Channel upstream;
    private final ResponseRelay relay;
    private boolean reused;
    private final RetryPolicy retries;
    private boolean skippingInformational;
    private boolean upstreamKeepAlive;
    private boolean upstreamFinished;
    private boolean truncatedResponse;
    private boolean sendFailed;
    private long queueDeadline;
    /** When the rebuilt request was ready to go: its wait in the front from there counts against its deadline. */
    private long preparedAt;
    /** When the request started waiting for the child (queue metrics); {@code queued} while it waits. */
    private long queuedSince;
    private boolean queued;
    /** Held by a WebSocket handshake forwarded as one, until the child answers it (see {@link #handshake}). */
    private TunnelCap.Permit tunnelPermit;
    private HttpResponse switching;
    /** The file the child named in {@code --sendfile-header}, served in place of its body; {@code null} if none. */
    private AliasRequest offloaded;
    private HttpHeaders offloadedHeaders;
    private ScheduledFuture<?> timer;
    /** Counts body reads asked for and pieces received, to tell whether a piece came within {@link #readBody}. */
    private long bodyReads;

    ForwardExchange(ChannelHandlerContext ctx, HttpRequest request, String originForm, ForwardingService service,
                    Runnable readMore, ChannelPromise done) {
        this.readMore = readMore;
        this.ctx = ctx;
        this.request = request;
        this.originForm = originForm;
        this.service = service;
        this.done = done;
        this.retries = new RetryPolicy(request.method());
        this.relay = new ResponseRelay(ctx, service.config().tempDirectory(), service.config().maxTempFileSize(),
                service.log(), this::spoolProgress);
    }

    @Override
    public void begin() {
        long limit = service.limits().limitRequestBody();
        long declared = HttpUtil.getContentLength(request, -1L);
        if (declared > limit) {
            // Refused before the body: no 100 Continue, and the unread body makes the connection unusable.
            answer(Failure.declaredBodyTooLarge(declared, limit), true);
            return;
        }
        // HTTP/1.0 defines no Expect: ignored there (RFC 9110 10.1.1 for 100-continue; nginx ignores it whole), and
        // removed from what the child receives like on 1.1.
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && request.headers().contains(HttpHeaderNames.EXPECT)) {
            if (!HttpUtil.is100ContinueExpected(request)) {
                answer(Failure.expectation(request.headers().get(HttpHeaderNames.EXPECT)), true);
                return;
            }
            // The front accepts the body itself; the child never sees Expect.
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        body = new RequestBody(ctx.alloc(), ctx.executor(), service.config().clientBodyBufferSize(),
                service.config().tempDirectory());
        readBody();
    }

    /**
     * Asks for the next piece of the body, which must come within {@code --body-timeout}. The timer is needed only
     * when the piece is not there already: a small request's end usually came with its head.
     */
    private void readBody() {
        cancelTimer();
        long asked = ++bodyReads;
        readMore.run();
        if (bodyReads == asked && state == State.RECEIVING) {
            timer = ctx.executor().schedule(this::bodyTimedOut, service.limits().bodyTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void content(HttpContent content) {
        if (state != State.RECEIVING) {
            content.release();
            return;
        }
        cancelTimer();
        bodyReads++;
        boolean last = content instanceof LastHttpContent;
        ByteBuf data = content.content().retain();
        content.release(); // trailers, if any, are dropped: never forwarded
        if (body.length() + data.readableBytes() > service.limits().limitRequestBody()) {
            data.release();
            answer(Failure.bodyTooLarge(service.limits().limitRequestBody()), true);
            return;
        }
        if (!data.isReadable()) {
            data.release();
            stored(last);
            return;
        }
        body.append(data, () -> stored(last), cause -> {
            if (state == State.RECEIVING) {
                answer(Failure.bodyNotBuffered(service.config().tempDirectory(), cause), true);
            }
        });
    }

    private void stored(boolean last) {
        if (state != State.RECEIVING) {
            return;
        }
        if (last) {
            body.complete();
            prepare();
        } else {
            readBody();
        }
    }

    /** Builds the head the child receives: origin-form, one Content-Length, canonical forwarding headers. */
    private void prepare() {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
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
            tunnelPermit = service.webSockets().tryAcquire();
            if (tunnelPermit == null) {
                // --max-websockets: the child never sees it
                answer(Failure.tooManyWebSockets(service.config().maxWebSockets()), false);
                return;
            }
        }
        UpstreamRequest.rebuild(upstreamHeaders, request.method(), body.length(), handshake());
        state = State.QUEUED;
        long now = System.nanoTime();
        preparedAt = now;
        queueDeadline = now + service.limits().queueTimeout().toNanos();
        slot = service.limiter().acquire(ctx.executor(), this::slotGranted);
        // Usually a slot, an open gate and a parked connection sent it already. Else it waits (for a slot, the
        // child, or a new connection), and only then is it counted in the queue metrics: a request sent at once
        // costs them no clock reads and no shared counter.
        if (state == State.QUEUED || state == State.WAITING) {
            queuedSince = service.metrics().queueEntered();
            queued = true;
            if (timer == null) {
                timer = ctx.executor().schedule(this::queueTimedOut, queueDeadline - now, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** The request is a WebSocket handshake forwarded as one: it holds a place under the tunnel cap until answered. */
    private boolean handshake() {
        return tunnelPermit != null;
    }

    private void slotGranted() {
        if (state != State.QUEUED) {
            return; // timed out or aborted meanwhile; the ticket was released then
        }
        state = State.WAITING;
        service.gate().whenOpen(ctx.executor(), this::connect);
    }

    private void connect() {
        if (state != State.WAITING) {
            return;
        }
        // A handshake goes on a fresh connection: a kept-alive one may be closing, and a tunnel is never parked.
        Channel parked = handshake() || retries.retried() ? null : service.takeParked(ctx.channel());
        if (parked != null) {
            reused = true;
            send(parked);
            return;
        }
        reused = false;
        service.connect(ctx.channel().eventLoop()).addListener((ChannelFutureListener) f -> {
            if (state != State.WAITING) {
                f.channel().close();
            } else if (f.isSuccess()) {
                send(f.channel());
            } else if (refused(f.cause())
                    && System.nanoTime() + CONNECT_RETRY_MILLIS * 1_000_000 < queueDeadline) {
                // Refused: the child is between a crash and its restart (or a sidecar is redeploying); try again
                // until the queue deadline rather than failing a request that would succeed a moment later.
                ctx.executor().schedule(this::connect, CONNECT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                service.metrics().upstreamError(UpstreamError.REFUSED);
                answer(Failure.upstreamUnreachable(service.upstreamName(), f.cause(), service.supervised(),
                        service.limits().queueTimeout()), false);
            }
        });
    }

    /**
     * Nothing listens yet: refused, or a Unix socket whose file does not exist (removed with a crashed child and
     * not yet bound again): the native transports report ENOENT as FileNotFoundException, NIO as a plain
     * SocketException.
     */
    private static boolean refused(Throwable cause) {
        return cause instanceof ConnectException || cause instanceof FileNotFoundException
                || cause instanceof SocketException && "No such file or directory".equals(cause.getMessage());
    }

    /** {@code --deadline-header}, set anew on a retry ({@link UpstreamRequest#deadlineMillis}). */
    private void setDeadline(String header) {
        upstreamHeaders.set(header, UpstreamRequest.deadlineMillis(service.limits().requestTimeout().toNanos(),
                System.nanoTime() - preparedAt));
    }

    private void send(Channel channel) {
        leaveQueue();
        cancelTimer();
        upstream = channel;
        state = State.SENT;
        sendFailed = false;
        upstream.pipeline().get(UpstreamHandler.class).attach(this, service.limits().requestTimeout().toNanos());
        service.config().deadlineHeader().ifPresent(this::setDeadline);
        service.requestSent(upstream);
        // The encoder only reads the headers, so a retry can send the same set again. A body in memory goes with
        // the head as one message (one buffer when small, one write); a body in a file follows its head zero-copy.
        ChannelFuture sent;
        Object content = body.length() == 0 ? Unpooled.EMPTY_BUFFER : body.content(upstream);
        if (content instanceof ByteBuf bytes) {
            sent = upstream.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(),
                    originForm, bytes, upstreamHeaders, EmptyHttpHeaders.INSTANCE));
        } else {
            upstream.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), originForm,
                    upstreamHeaders));
            upstream.write(content);
            sent = upstream.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
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
        if (state != State.SENT && state != State.RELAYING) {
            // Bytes after the end of the response (or of a HEAD/204/304 answer): the connection is not reusable.
            ReferenceCountUtil.release(message);
            retireUpstream();
            return;
        }
        if (message instanceof HttpResponse response && !responseHead(response)) {
            return;
        }
        if (message instanceof HttpContent content) {
            responseContent(content);
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
            if (response.status().code() == 101 && handshake() && WebSocketHandshake.accepted(request, response)) {
                cancelTimer();
                releaseSlot(); // a tunnel occupies no worker of the child: --max-websockets caps tunnels
                switching = response;
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
        if (named != null) {
            offloaded = offload.resolve(named);
            if (offloaded == null) {
                ReferenceCountUtil.release(response);
                failUpstream(Failure.offloadRefused(service.upstreamName(), offload.header(), named));
                return false;
            }
            offloadedHeaders = Offload.kept(response.headers());
        }
        cancelTimer();
        state = State.RELAYING;
        // A refused handshake: the child saw Connection: upgrade, so its connection is not reused.
        upstreamKeepAlive = HttpUtil.isKeepAlive(response) && !handshake();
        releaseTunnelPermit();
        if (offloaded == null && RelayedHead.relay(request, response)) {
            upstreamKeepAlive = false;
        }
        if (offloaded == null) {
            relay.head(response); // else the file's own head goes instead
        }
        return true;
    }

    private void responseContent(HttpContent content) {
        if (skippingInformational) {
            if (content instanceof LastHttpContent) {
                skippingInformational = false;
            }
            content.release();
            return;
        }
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

    /** The child sent its whole response: free its slot and connection now, whatever the client's pace. */
    private void upstreamDone() {
        upstreamFinished = true;
        releaseSlot();
        Channel channel = upstream;
        UpstreamHandler handler = channel.pipeline().get(UpstreamHandler.class);
        if (upstreamKeepAlive && channel.isActive()) {
            service.park(ctx.channel(), channel);
        } else {
            handler.detach();
            channel.close();
        }
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
            service.offload().serve(ctx, request, offloaded, offloadedHeaders).addListener(f -> {
                release();
                if (f.isSuccess()) {
                    done.trySuccess();
                } else {
                    done.tryFailure(f.cause());
                }
            });
            return;
        }
        if (truncatedResponse) {
            relay.writeHead();
            // The cut shows as a close, once all that came before it is out: the router closes too when done fails.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
                release();
                ctx.close();
                done.tryFailure(new IOException("the child's response was truncated"));
            });
            return;
        }
        ctx.writeAndFlush(relay.end()).addListener((ChannelFutureListener) f -> {
            release();
            if (f.isSuccess()) {
                done.trySuccess();
            } else {
                done.tryFailure(f.cause());
            }
        });
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
        TunnelCap.Permit permit = tunnelPermit;
        tunnelPermit = null;
        child.pipeline().get(UpstreamHandler.class).detach();
        release();
        ForwardingService.clientClosed(ctx.channel()); // a child connection parked by an earlier request: unused now
        WebSocketTunnel.open(ctx.channel(), child, WebSocketHandshake.switchingProtocols(switching), permit,
                service.limits().socketTimeout());
    }

    private void spoolProgress() {
        if (state == State.RELAYING) {
            readUpstreamIfRoom();
        } else if (state == State.FLUSHING) {
            relay.drain();
            finishWhenFlushed();
        }
    }

    void upstreamReadComplete() {
        if (state == State.RELAYING) {
            relay.writeHead(); // a streamed response's head goes out before its body has come
            ctx.flush(); // once per read burst
            readUpstreamIfRoom();
        } else if (state == State.SENT || state == State.UPGRADING) {
            upstream.read();
        }
    }

    private void readUpstreamIfRoom() {
        if (relay.hasRoom() && upstream != null) {
            upstream.read();
        }
    }

    @Override
    public void clientWritable() {
        relay.drain();
        if (state == State.RELAYING) {
            readUpstreamIfRoom();
        } else if (state == State.FLUSHING) {
            finishWhenFlushed();
        }
    }

    /** The child connection closed or failed (cause {@code null} for a plain close). */
    void upstreamClosed(Throwable cause) {
        switch (state) {
            case SENT -> {
                if (mayRetry()) {
                    cancelTimer();
                    retireUpstream();
                    state = State.WAITING;
                    long left = queueDeadline - System.nanoTime();
                    timer = ctx.executor().schedule(this::queueTimedOut, Math.max(left, 0), TimeUnit.NANOSECONDS);
                    if (reused) {
                        connect(); // a kept-alive connection the child had already closed: at once on a fresh one
                    } else {
                        ctx.executor().schedule(this::connect, CONNECT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                    }
                } else {
                    service.metrics().upstreamError(UpstreamError.RESET);
                    failUpstream(Failure.upstreamClosed(service.upstreamName(), cause));
                }
            }
            case RELAYING -> {
                service.metrics().upstreamError(UpstreamError.RESET);
                truncated();
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
        return !skippingInformational && System.nanoTime() < queueDeadline && retries.mayRetry(reused, sendFailed);
    }

    /**
     * The response was cut short after its head: pass on what came, then close so the client sees the loss (no
     * last chunk, fewer bytes than the Content-Length).
     */
    private void truncated() {
        truncatedResponse = true;
        upstreamKeepAlive = false;
        upstreamFinished = true;
        releaseSlot();
        retireUpstream();
        state = State.FLUSHING;
        finishWhenFlushed();
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

    private void bodyTimedOut() {
        if (state == State.RECEIVING) {
            answer(Failure.bodyTimeout(service.limits().bodyTimeout()), true);
        }
    }

    private void queueTimedOut() {
        if (state == State.QUEUED || state == State.WAITING) {
            answer(Failure.queueTimeout(service.limits().queueTimeout(), state == State.QUEUED
                    ? "a slot (--max-concurrency " + service.config().maxConcurrency() + ")"
                    : service.upstreamName() + " to accept a connection"), false);
        }
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
        leaveQueue();
        state = State.DONE;
        cancelTimer();
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
        boolean upstreamBusy = !upstreamFinished;
        leaveQueue();
        state = State.DONE;
        cancelTimer();
        release();
        if (upstreamBusy) {
            retireUpstream();
        }
        done.tryFailure(new ClosedChannelException());
    }

    /** Once per request: it stops waiting for the child (sent, answered by the front, or aborted). */
    private void leaveQueue() {
        if (queued) {
            queued = false;
            service.metrics().queueLeft(queuedSince);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void releaseTunnelPermit() {
        if (tunnelPermit != null) {
            tunnelPermit.release();
            tunnelPermit = null;
        }
    }

    private void releaseSlot() {
        if (slot != null) {
            slot.release();
            slot = null;
        }
    }

    private void release() {
        releaseSlot();
        releaseTunnelPermit();
        if (body != null) {
            body.release();
            body = null;
        }
        relay.release();
    }
}
