package dev.front.core;

import dev.front.config.FrontConfig;
import dev.front.core.alias.AliasService;
import dev.front.core.alias.Router;
import dev.front.core.connection.HandlerNames;
import dev.front.core.connection.KeepAliveHandler;
import dev.front.core.connection.ListenerFacts;
import dev.front.core.connection.RequestIdHandler;
import dev.front.core.connection.RequestWaitHandler;
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
import io.netty.handler.flow.FlowControlHandler;

/**
 * Builds the pipeline of each accepted client connection, in the order {@link HandlerNames} describes: the request
 * wait, the strictness the codec lacks, the codec, one message per read, keep-alive, the request id, the observer,
 * and the router that answers; on the TLS listener the TLS handlers come first and the rest once the handshake is
 * done. Shared by every connection of one listener: it holds only what is the same for all of them.
 */
final class ClientPipeline extends ChannelInitializer<Channel> {

    private final FrontConfig config;
    private final Router router;
    private final AliasService aliasService;
    private final ForwardingService forwarding;
    private final RequestObserver observer;
    /** Every open client connection, so that stopping can drain them. */
    private final ChannelGroup clients;
    /** What this pipeline's listener is: plain or TLS, its port, whether it reads forwarding headers. */
    private final ListenerFacts listener;
    /** {@code null} on the plain listener. */
    private final TlsTermination tls;
    /** {@code --https-only} on the plain listener; else {@code null}. */
    private final HttpsRedirect redirect;

    ClientPipeline(FrontConfig config, Router router, AliasService aliasService, ForwardingService forwarding,
                   RequestObserver observer, ChannelGroup clients, ListenerFacts listener, TlsTermination tls,
                   HttpsRedirect redirect) {
        this.config = config;
        this.router = router;
        this.aliasService = aliasService;
        this.forwarding = forwarding;
        this.observer = observer;
        this.clients = clients;
        this.listener = listener;
        this.tls = tls;
        this.redirect = redirect;
    }

    @Override
    protected void initChannel(Channel ch) {
        clients.add(ch);
        ch.attr(ListenerFacts.KEY).set(listener);
        if (tls != null) {
            tls.addTo(ch.pipeline(), this::addHttp1); // HTTP/1.1 once the handshake is done and ALPN chose it
        } else {
            addHttp1(ch.pipeline());
        }
    }

    /**
     * Adds the HTTP/1.1 handlers at the end of {@code p}: on a plain connection at once, on a TLS one after the
     * handshake, behind the TLS handlers. Another protocol chosen by ALPN would have a method of its own.
     */
    void addHttp1(ChannelPipeline p) {
        p.addLast(HandlerNames.REQUEST_WAIT, new RequestWaitHandler(config.limits().keepAliveTimeout().toNanos(),
                config.limits().headerTimeout().toNanos()));
        p.addLast(HandlerNames.OBS_FOLD, new ObsFoldHandler());
        p.addLast(HandlerNames.CODEC, new ClientCodec(ClientCodec.decoderConfig()));
        if (tls != null && tls.hsts() != null) {
            p.addLast(HandlerNames.HSTS, tls.hsts());
        }
        p.addLast(HandlerNames.FLOW, new FlowControlHandler());
        p.addLast(HandlerNames.KEEP_ALIVE, new KeepAliveHandler());
        p.addLast(HandlerNames.REQUEST_ID,
                new RequestIdHandler(config.requestIdHeader(), config.forwarded().networks()));
        p.addLast(HandlerNames.OBSERVER, observer.newHandler());
        p.addLast(HandlerNames.ROUTER, new RouterHandler(router, aliasService, forwarding, config.limits(), redirect));
    }
}
