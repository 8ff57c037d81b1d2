package dev.front.core;

import dev.front.config.Cidr;
import dev.front.config.FrontConfig;
import dev.front.core.alias.AliasService;
import dev.front.core.alias.DocumentRoot;
import dev.front.core.alias.Router;
import dev.front.core.compress.Compressors;
import dev.front.core.compress.ResponseCompressor;
import dev.front.core.connection.ClientCap;
import dev.front.core.connection.ErrorPages;
import dev.front.core.connection.HandlerNames;
import dev.front.core.connection.KeepAliveHandler;
import dev.front.core.connection.ListenerFacts;
import dev.front.core.connection.ProxyProtocolHandler;
import dev.front.core.connection.RequestAttributes;
import dev.front.core.connection.RequestIdHandler;
import dev.front.core.connection.RequestWaitHandler;
import dev.front.core.h2.Http2Pipelines;
import dev.front.core.h2.PrefaceDetector;
import dev.front.core.http.ClientCodec;
import dev.front.core.http.ObsFoldHandler;
import dev.front.core.observe.RequestObserver;
import dev.front.core.tls.HttpsRedirect;
import dev.front.core.tls.TlsTermination;
import dev.front.core.upstream.ForwardingService;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.flow.FlowControlHandler;
import java.util.List;

/**
 * Builds the pipeline of each accepted client connection, in the order {@link HandlerNames} describes: the request
 * wait, the strictness the codec lacks, the codec, one message per read, keep-alive, the request id, the observer,
 * the compression of relayed responses (with {@code --compress-responses}) and the router that answers; on the TLS
 * listener the TLS handlers come first and the rest once the handshake is done. With {@code --http2} a connection
 * that opens with the HTTP/2 preface, or a TLS one whose ALPN chose h2, becomes an HTTP/2 connection instead, whose
 * streams each get the request handlers ({@link #addHttp2}). One per listener: it holds only what is the same for
 * all of that listener's connections.
 */
final class ClientPipeline extends ChannelInitializer<Channel> {

    /**
     * What both listeners' connections share.
     *
     * @param clients      every open client connection, so that stopping can drain them
     * @param compressors  {@code --compress-responses}: the codings to offer; {@code null} when off
     * @param documentRoot {@code --document-root}, or {@code null}
     * @param cap          {@code --max-clients} over both listeners, or {@code null}
     * @param errorPages   {@code --error-document}'s pages, or {@code null}
     */
    record Shared(FrontConfig config, Router router, AliasService aliasService, ForwardingService forwarding,
                  RequestObserver observer, ChannelGroup clients, Compressors compressors, DocumentRoot documentRoot,
                  ClientCap cap, ErrorPages errorPages) {
    }

    private final Shared shared;
    private final FrontConfig config;
    /** What this pipeline's listener is: plain or TLS, its port, whether it reads forwarding headers. */
    private final ListenerFacts listener;
    /** {@code null} on the plain listener. */
    private final TlsTermination tls;
    /** {@code --https-only} on the plain listener; else {@code null}. */
    private final HttpsRedirect redirect;
    /** {@code --trust-proxy}: with {@code --proxy-protocol}, the only peers that may connect. */
    private final List<Cidr> trustedNetworks;

    ClientPipeline(Shared shared, ListenerFacts listener, TlsTermination tls, HttpsRedirect redirect) {
        this.shared = shared;
        this.config = shared.config();
        this.listener = listener;
        this.tls = tls;
        this.redirect = redirect;
        this.trustedNetworks = config.forwarded().networks();
    }

    @Override
    protected void initChannel(Channel ch) {
        if (config.proxyProtocol() && !ProxyProtocolHandler.trustedPeer(ch.remoteAddress(), trustedNetworks)) {
            // --proxy-protocol: only a --trust-proxy balancer may say who the client is; no answer, it is not HTTP
            ch.close();
            return;
        }
        if (shared.cap() != null && !shared.cap().admit(ch)) {
            return;
        }
        shared.clients().add(ch);
        connectionFacts(ch);
        if (config.proxyProtocol()) {
            // first of all, even before TLS: the balancer's header precedes the client's first byte
            ch.pipeline().addLast(HandlerNames.PROXY_PROTOCOL, new HAProxyMessageDecoder());
            ch.pipeline().addLast(HandlerNames.PROXY_HEADER, new ProxyProtocolHandler());
        }
        if (tls != null) {
            // once the handshake is done, what ALPN chose
            tls.addTo(ch.pipeline(), this::addHttp1, config.http2() ? this::addHttp2Connection : null);
        } else {
            addHttp1(ch.pipeline());
        }
    }

    /** What the handlers of a connection, or of an HTTP/2 stream, read from their channel. */
    private void connectionFacts(Channel ch) {
        ch.attr(ListenerFacts.KEY).set(listener);
        if (shared.errorPages() != null) {
            ch.attr(RequestAttributes.ERROR_PAGES).set(shared.errorPages());
        }
    }

    /**
     * Adds the HTTP/1.1 handlers at the end of {@code p}: on a plain connection at once, on a TLS one after the
     * handshake, behind the TLS handlers. With {@code --http2}, the preface detector first.
     */
    void addHttp1(ChannelPipeline p) {
        if (config.http2()) {
            p.addLast(HandlerNames.H2_PREFACE, new PrefaceDetector(this::switchToHttp2));
        }
        p.addLast(HandlerNames.REQUEST_WAIT, new RequestWaitHandler(config.limits().keepAliveTimeout().toNanos(),
                config.limits().headerTimeout().toNanos()));
        p.addLast(HandlerNames.OBS_FOLD, new ObsFoldHandler());
        p.addLast(HandlerNames.CODEC, new ClientCodec(ClientCodec.decoderConfig()));
        if (tls != null && tls.hsts() != null) {
            p.addLast(HandlerNames.HSTS, tls.hsts());
        }
        p.addLast(HandlerNames.FLOW, new FlowControlHandler());
        p.addLast(HandlerNames.KEEP_ALIVE, new KeepAliveHandler());
        addRequestHandlers(p);
    }

    /** What answers each request, behind HTTP/1.1's codec or an HTTP/2 stream's: the same for both. */
    private void addRequestHandlers(ChannelPipeline p) {
        p.addLast(HandlerNames.REQUEST_ID,
                new RequestIdHandler(config.requestIdHeader(), config.forwarded().networks()));
        p.addLast(HandlerNames.OBSERVER, shared.observer().newHandler());
        if (shared.compressors() != null) {
            p.addLast(HandlerNames.COMPRESS, new ResponseCompressor(shared.compressors()));
        }
        p.addLast(HandlerNames.ROUTER, new RouterHandler(shared.router(), shared.aliasService(), shared.forwarding(),
                config.limits(), redirect, config.site(), shared.documentRoot()));
    }

    /** The connection opened with the HTTP/2 preface: HTTP/1.1's handlers go, the observer stays to count it. */
    private void switchToHttp2(ChannelPipeline p) {
        for (String name : HTTP1_ONLY) {
            p.remove(name);
        }
        if (p.get(HandlerNames.COMPRESS) != null) {
            p.remove(HandlerNames.COMPRESS); // each stream gets its own
        }
        addHttp2(p);
    }

    private static final List<String> HTTP1_ONLY = List.of(HandlerNames.REQUEST_WAIT, HandlerNames.OBS_FOLD,
            HandlerNames.CODEC, HandlerNames.FLOW, HandlerNames.KEEP_ALIVE, HandlerNames.REQUEST_ID,
            HandlerNames.ROUTER);

    /** A TLS connection whose ALPN chose h2: the connection's observer (which counts it) and HTTP/2 behind it. */
    private void addHttp2Connection(ChannelPipeline p) {
        p.addLast(HandlerNames.OBSERVER, shared.observer().newHandler());
        addHttp2(p);
    }

    /**
     * Makes {@code p} an HTTP/2 connection (frame codec, connection handler, one channel per stream); each stream
     * is one request through the same handlers as an HTTP/1.1 request. For a pipeline that has no HTTP/1.1 handlers
     * (a TLS connection that chose h2 by ALPN) as well as for one switched from HTTP/1.1 by the preface.
     */
    void addHttp2(ChannelPipeline p) {
        Http2Pipelines.addConnection(p, config.limits(), new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                connectionFacts(stream); // each stream is a request on this listener
                // as its connection learnt it (a PROXY protocol header may have named another public port)
                stream.attr(ListenerFacts.KEY).set(stream.parent().attr(ListenerFacts.KEY).get());
                ChannelPipeline sp = stream.pipeline();
                Http2Pipelines.addStreamCodec(sp);
                sp.addLast(HandlerNames.FLOW, new FlowControlHandler());
                addRequestHandlers(sp);
            }
        });
    }
}
