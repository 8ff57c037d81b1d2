package dev.front.core;

import dev.front.config.Limits;
import dev.front.config.SiteConfig;
import dev.front.core.alias.AliasRequest;
import dev.front.core.alias.AliasService;
import dev.front.core.alias.DocumentRoot;
import dev.front.core.alias.Router;
import dev.front.core.alias.StaticExchange;
import dev.front.core.connection.ClientAddress;
import dev.front.core.connection.Drain;
import dev.front.core.connection.ErrorPages;
import dev.front.core.connection.ErrorResponses;
import dev.front.core.connection.Exchange;
import dev.front.core.connection.LingeringClose;
import dev.front.core.connection.RequestAttributes;
import dev.front.core.connection.RequestWaitHandler;
import dev.front.core.connection.RouteKind;
import dev.front.core.http.Failure;
import dev.front.core.http.HostCheck;
import dev.front.core.http.RequestChecks;
import dev.front.core.http.RequestTarget;
import dev.front.core.tls.HttpsRedirect;
import dev.front.core.upstream.ForwardingService;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * The only place that decides where a request goes: a static alias, the forwarding service, or a 404 when the
 * front forwards nowhere. It also refuses what failed to decode, and reads the next pipelined request only when the
 * current exchange is complete.
 */
final class RouterHandler extends ChannelInboundHandlerAdapter {

    /** Fired at every client connection when the front stops accepting (see {@link FrontServer#stopAccepting}). */

    private static final AliasService NOT_FOUND =
            (ctx, request, target) -> ErrorResponses.send(ctx, HttpResponseStatus.NOT_FOUND, false);

    private final Router router;
    private final AliasService aliasService;
    private final ForwardingService forwarding;
    private final HttpsRedirect redirect;
    private final HostCheck hostCheck;
    /** {@code --document-root}, or {@code null}. */
    private final DocumentRoot documentRoot;
    /** {@code --mount-point}: the application's URL prefix without a trailing slash, or {@code null} for {@code /}. */
    private final String mountPoint;
    /** A static exchange's bounds on a request body it drains: {@code --body-timeout}, {@code --limit-request-body}. */
    private final long bodyTimeoutNanos;
    private final long limitRequestBody;
    private Exchange exchange;
    private boolean draining;
    /** A read was asked for and no message has come since: FlowControlHandler ends a read at readComplete. */
    private boolean readRequested;
    /** The router is answering a request it refused; the answer closes the connection once written. */
    private boolean rejecting;

    /**
     * @param forwarding   {@code null} when the front forwards nowhere (only aliases are served)
     * @param redirect     {@code --https-only} on the plain listener, else {@code null}
     * @param documentRoot {@code --document-root}, shared by every connection; {@code null} without one
     */
    RouterHandler(Router router, AliasService aliasService, ForwardingService forwarding, Limits limits,
                  HttpsRedirect redirect, SiteConfig site, DocumentRoot documentRoot) {
        this.redirect = redirect;
        this.router = router;
        this.aliasService = aliasService;
        this.forwarding = forwarding;
        this.documentRoot = documentRoot;
        this.hostCheck = new HostCheck(site);
        this.mountPoint = site.mounted() ? site.mountPoint() : null;
        this.bodyTimeoutNanos = limits.bodyTimeout().toNanos();
        this.limitRequestBody = limits.limitRequestBody();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        requestRead(ctx);
        ctx.fireChannelActive();
    }

    /**
     * Asks for the next message. With auto-read off, a read that the socket's current read cycle does not satisfy
     * is dropped at its channelReadComplete, so it is asked for again there until a message comes.
     */
    private void requestRead(ChannelHandlerContext ctx) {
        readRequested = true;
        ctx.read();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (readRequested) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readRequested = false;
        if (msg instanceof HttpRequest request) {
            ReferenceCountUtil.release(msg); // a decoded head holds no buffer; release is for a failed full message
            begin(ctx, request);
        } else if (msg instanceof HttpContent content) {
            if (content.decoderResult().isFailure()) {
                content.release();
                reject(ctx, Failure.malformedBody(content.decoderResult().cause()));
            } else if (exchange != null) {
                exchange.content(content);
            } else {
                content.release();
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest request) {
        if (ctx.channel().hasAttr(RequestAttributes.ERROR_PAGES)) {
            ctx.channel().attr(RequestAttributes.WANTS_HTML).set(ErrorPages.wantsHtml(request));
        }
        RequestWaitHandler wait = ctx.pipeline().get(RequestWaitHandler.class);
        if (wait != null) {
            wait.disarm();
        }
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            reject(ctx, RequestChecks.unsupportedCoding(request)
                    ? Failure.unsupportedCoding(String.join(", ", request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING)))
                    : Failure.undecodableHead(result.cause()));
            return;
        }
        Failure refusal = RequestChecks.refusal(request);
        if (refusal != null) {
            reject(ctx, refusal);
            return;
        }
        ChannelPromise done = ctx.newPromise();
        done.addListener((ChannelFutureListener) f -> {
            exchange = null;
            if (ctx.channel().hasAttr(RequestAttributes.WANTS_HTML)) {
                ctx.channel().attr(RequestAttributes.WANTS_HTML).set(null); // a later head timeout asked for nothing
            }
            if (LingeringClose.lingering(ctx.channel()) && !draining) {
                return; // the response ended the connection: no next request is read, what comes is drained
            }
            if (f.isSuccess() && draining) {
                ctx.close();
            } else if (f.isSuccess()) {
                if (wait != null) {
                    wait.arm(); // idle until the next request's first byte, whose head is timed from there
                }
                requestRead(ctx);
            } else if (!rejecting) {
                ctx.close(); // the client left, or the child's response was truncated
            }
        });
        if (request.method().equals(HttpMethod.OPTIONS) && request.uri().equals("*") && forwarding != null) {
            if (misdirected(ctx, request)) {
                return;
            }
            exchange = forwarding.start(ctx, request, "*", () -> requestRead(ctx), done);
            exchange.begin();
            return;
        }
        RequestTarget target;
        try {
            target = RequestTarget.parse(request.uri());
        } catch (RequestTarget.BadTargetException e) {
            exchange = null;
            reject(ctx, Failure.badTarget(e.getMessage()));
            return;
        }
        if (target.authority() != null) {
            request.headers().set(HttpHeaderNames.HOST, target.authority()); // absolute-form: its authority wins
        }
        if (redirectedToServerName(ctx, request, target) || misdirected(ctx, request)) {
            return; // before any route: aliases are behind the server name too
        }
        if (redirect != null && redirect.redirects(ctx, request)) {
            ctx.channel().attr(RequestAttributes.ROUTE).set(RouteKind.FRONT);
            String originForm = target.originForm();
            exchange = new StaticExchange(ctx, request, null, (c, r, t) -> redirect.redirect(c, r, originForm),
                    () -> requestRead(ctx), done, bodyTimeoutNanos, limitRequestBody);
            exchange.begin();
            return;
        }
        AliasRequest alias = router.route(target);
        if (alias == null && documentRoot != null && !target.path().endsWith("/")) {
            exchange = new DocumentRootLookup(ctx, request, target, done); // a URL ending in / names no file
            exchange.begin();
            return;
        }
        dispatch(ctx, request, target, alias, done);
    }

    /** Starts the exchange of a request the checks let through: an alias, the application, or the front's 404. */
    private void dispatch(ChannelHandlerContext ctx, HttpRequest request, RequestTarget target, AliasRequest alias,
                          ChannelPromise done) {
        // outside --mount-point only aliases are served, as in mod_wsgi-express: the rest is the front's 404
        boolean forwards = forwarding != null && (mountPoint == null || underMountPoint(target.path()));
        ctx.channel().attr(RequestAttributes.ROUTE).set(RouteKind.of(alias != null, forwards));
        if (alias != null) {
            exchange = new StaticExchange(ctx, request, alias, aliasService, () -> requestRead(ctx), done,
                    bodyTimeoutNanos, limitRequestBody);
        } else if (forwards) {
            exchange = forwarding.start(ctx, request, target.originForm(), () -> requestRead(ctx), done);
        } else {
            exchange = new StaticExchange(ctx, request, null, NOT_FOUND, () -> requestRead(ctx), done,
                    bodyTimeoutNanos, limitRequestBody);
        }
        exchange.begin();
    }

    /**
     * Waits for {@link DocumentRoot#hasFile}, then hands the request to the static file service or the rest of the
     * routes. Nothing is read meanwhile (auto-read is off and no read is asked for), so no content comes to it.
     */
    private final class DocumentRootLookup implements Exchange {

        private final ChannelHandlerContext ctx;
        private final HttpRequest request;
        private final RequestTarget target;
        private final ChannelPromise done;

        DocumentRootLookup(ChannelHandlerContext ctx, HttpRequest request, RequestTarget target, ChannelPromise done) {
            this.ctx = ctx;
            this.request = request;
            this.target = target;
            this.done = done;
        }

        @Override
        public void begin() {
            documentRoot.hasFile(target.path()).whenComplete((found, error) -> ctx.executor().execute(() -> {
                if (exchange != this) {
                    return; // the client left, or the front is stopping, while the file system answered
                }
                if (error != null) {
                    reject(ctx, Failure.staticFiles(HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "no thread free to look up a file in --document-root"));
                } else {
                    dispatch(ctx, request, target,
                            found ? new AliasRequest(documentRoot.alias(), target.path(), target.rawQuery()) : null,
                            done);
                }
            }));
        }

        @Override
        public void content(HttpContent content) {
            content.release();
        }

        @Override
        public void abort() {
            // the look-up's answer finds another exchange, or none, and does nothing
        }
    }

    /**
     * Answers a request for the parent domain of a {@code www.} server name with a 301 to that name
     * ({@link HostCheck#parentDomainRedirect}), closing the connection after it (a body is not read); true when it
     * did.
     */
    private boolean redirectedToServerName(ChannelHandlerContext ctx, HttpRequest request, RequestTarget target) {
        String location = hostCheck.active() ? hostCheck.parentDomainRedirect(request, target.originForm()) : null;
        if (location == null) {
            return false;
        }
        ctx.channel().attr(RequestAttributes.ROUTE).set(RouteKind.FRONT);
        FullHttpResponse redirect = ErrorResponses.of(HttpResponseStatus.MOVED_PERMANENTLY, true);
        redirect.headers().set(HttpHeaderNames.LOCATION, location);
        ErrorResponses.send(ctx, redirect);
        return true;
    }

    /** Refuses a request for a Host the site does not serve ({@link HostCheck}); true when it did. */
    private boolean misdirected(ChannelHandlerContext ctx, HttpRequest request) {
        if (!hostCheck.active()) {
            return false;
        }
        Failure refusal = hostCheck.refusal(request, ClientAddress.of(ctx.channel()));
        if (refusal == null) {
            return false;
        }
        ctx.channel().attr(RequestAttributes.ROUTE).set(RouteKind.FRONT);
        reject(ctx, refusal);
        return true;
    }

    /** The mount point itself or a path below it, whole segments only ({@code /app}, {@code /app/x}, not {@code /apple}). */
    private boolean underMountPoint(String path) {
        return path.startsWith(mountPoint)
                && (path.length() == mountPoint.length() || path.charAt(mountPoint.length()) == '/');
    }

    /** The request cannot be framed or trusted: answer and close, so nothing after it is ever read. */
    private void reject(ChannelHandlerContext ctx, Failure failure) {
        if (exchange != null) {
            Exchange aborted = exchange;
            exchange = null;
            rejecting = true; // the aborted exchange must not close the connection before this answer is out
            aborted.abort();
        }
        ErrorResponses.send(ctx, failure, true);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null && ctx.channel().isWritable()) {
            exchange.clientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == Drain.EVENT) {
            // The front is stopping: an idle connection goes now, a busy one after its current response.
            draining = true;
            if (exchange == null) {
                ctx.close();
            }
            return;
        }
        if (evt == RequestWaitHandler.HEAD_EXPIRED && exchange == null) {
            RequestWaitHandler wait = ctx.pipeline().get(RequestWaitHandler.class);
            reject(ctx, Failure.headTimeout(wait == null ? 0 : wait.headNanos())); // a head never completed
            return;
        }
        if (evt == RequestWaitHandler.IDLE_EXPIRED && exchange == null) {
            ctx.close(); // idle between requests for --keep-alive-timeout
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.abort();
            exchange = null;
        }
        ForwardingService.clientClosed(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // connection resets and the like: nothing to answer
    }
}
