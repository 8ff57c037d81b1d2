package dev.front.core;

import dev.front.config.FrontConfig;
import dev.front.core.alias.AliasService;
import dev.front.core.alias.DocumentRoot;
import dev.front.core.alias.Router;
import dev.front.core.connection.ClientCap;
import dev.front.core.connection.ErrorPages;
import dev.front.core.connection.HandlerNames;
import dev.front.core.connection.KeepAliveHandler;
import dev.front.core.connection.RequestAttributes;
import dev.front.core.connection.RequestIdHandler;
import dev.front.core.connection.RequestWaitHandler;
import dev.front.core.http.ClientCodec;
import dev.front.core.http.ObsFoldHandler;
import dev.front.core.observe.RequestObserver;
import dev.front.core.upstream.ForwardingService;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.flow.FlowControlHandler;

/**
 * Builds the pipeline of each accepted client connection, in the order {@link HandlerNames} describes: the request
 * wait, the strictness the codec lacks, the codec, one message per read, keep-alive, the request id, the observer,
 * and the router that answers. Shared by every connection: it holds only what is the same for all of them.
 */
final class ClientPipeline extends ChannelInitializer<Channel> {

    private final FrontConfig config;
    private final Router router;
    private final AliasService aliasService;
    private final ForwardingService forwarding;
    private final RequestObserver observer;
    private final DocumentRoot documentRoot;
    /** {@code --max-clients}, or {@code null}. */
    private final ClientCap cap;
    /** {@code --error-document}'s pages, or {@code null}. */
    private final ErrorPages errorPages;
    /** Every open client connection, so that stopping can drain them. */
    private final ChannelGroup clients;

    ClientPipeline(FrontConfig config, Router router, AliasService aliasService, ForwardingService forwarding,
                   RequestObserver observer, ChannelGroup clients, DocumentRoot documentRoot) {
        this.config = config;
        this.router = router;
        this.aliasService = aliasService;
        this.forwarding = forwarding;
        this.observer = observer;
        this.clients = clients;
        this.documentRoot = documentRoot;
        this.cap = config.site().maxClients() > 0
                ? new ClientCap(config.site().maxClients(), observer.metrics()::clientRefused) : null;
        ErrorPages pages = new ErrorPages(config.site().errorDocuments());
        this.errorPages = pages.isEmpty() ? null : pages;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (cap != null && !cap.admit(ch)) {
            return;
        }
        clients.add(ch);
        if (errorPages != null) {
            ch.attr(RequestAttributes.ERROR_PAGES).set(errorPages);
        }
        ChannelPipeline p = ch.pipeline();
        p.addLast(HandlerNames.REQUEST_WAIT, new RequestWaitHandler(config.limits().keepAliveTimeout().toNanos(),
                config.limits().headerTimeout().toNanos()));
        p.addLast(HandlerNames.OBS_FOLD, new ObsFoldHandler());
        p.addLast(HandlerNames.CODEC, new ClientCodec(ClientCodec.decoderConfig()));
        p.addLast(HandlerNames.FLOW, new FlowControlHandler());
        p.addLast(HandlerNames.KEEP_ALIVE, new KeepAliveHandler());
        p.addLast(HandlerNames.REQUEST_ID,
                new RequestIdHandler(config.requestIdHeader(), config.forwarded().networks()));
        p.addLast(HandlerNames.OBSERVER, observer.newHandler());
        p.addLast(HandlerNames.ROUTER, new RouterHandler(router, aliasService, forwarding, config.limits(),
                config.site(), documentRoot));
    }
}
