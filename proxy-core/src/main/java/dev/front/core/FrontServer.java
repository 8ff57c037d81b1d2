package dev.front.core;

import dev.front.config.FrontConfig;
import dev.front.core.alias.AliasService;
import dev.front.core.alias.DocumentRoot;
import dev.front.core.alias.Router;
import dev.front.core.compress.Compressors;
import dev.front.core.connection.ClientCap;
import dev.front.core.connection.ErrorPages;
import dev.front.core.connection.Drain;
import dev.front.core.connection.HandlerNames;
import dev.front.core.connection.ListenerFacts;
import dev.front.core.observe.RequestObserver;
import dev.front.core.tls.HttpsRedirect;
import dev.front.core.tls.TlsTermination;
import dev.front.core.transport.AcceptPause;
import dev.front.core.transport.Transport;
import dev.front.core.upstream.ForwardingService;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The public listeners (plain, and TLS with {@code --https-port}): binds, gives each client connection its pipeline
 * ({@link ClientPipeline}), and stops accepting on demand.
 */
public final class FrontServer implements AutoCloseable {

    private final FrontConfig config;
    private final Transport transport;
    private final EventLoopGroup group;
    private final RequestObserver observer;
    /** What both listeners' connections share: the router, the services, the caches and the client cap. */
    private final ClientPipeline.Shared shared;
    /** {@code --document-root}, or {@code null}; closed with the server. */
    private final DocumentRoot documentRoot;
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    /** {@code null} without {@code --https-port}. */
    private final TlsTermination tls;
    private final HttpsRedirect redirect;
    private Channel listener;
    private Channel tlsListener;

    /**
     * @param forwarding {@code null} when the front forwards nowhere (only aliases are served, the rest is 404)
     * @param observer   where each connection reports its requests (metrics, access log)
     * @param tls        the TLS listener's handlers ({@code --https-port}), or {@code null} for the plain one only
     * @param redirect   {@code --https-only}: the plain listener redirects to the TLS one; else {@code null}
     */
    public FrontServer(FrontConfig config, Transport transport, EventLoopGroup group, AliasService aliasService,
                       ForwardingService forwarding, RequestObserver observer, TlsTermination tls,
                       HttpsRedirect redirect) {
        this.tls = tls;
        this.redirect = redirect;
        this.config = config;
        this.transport = transport;
        this.group = group;
        this.observer = observer;
        this.documentRoot = config.site().documentRoot().map(DocumentRoot::new).orElse(null);
        ErrorPages pages = new ErrorPages(config.site().errorDocuments());
        this.shared = new ClientPipeline.Shared(config, new Router(config.aliases()), aliasService, forwarding, observer, clients,
                config.compressResponses() ? Compressors.load() : null, documentRoot,
                config.site().maxClients() > 0
                        ? new ClientCap(config.site().maxClients(), observer.metrics()::clientRefused) : null,
                pages.isEmpty() ? null : pages);
    }

    public void start() throws InterruptedException {
        listener = bootstrap(new ClientPipeline(shared, ListenerFacts.plain(config.port()), null, redirect))
                .bind(config.host(), config.port()).sync().channel();
    }

    /**
     * Opens the TLS listener on {@code --https-port}, same host; after {@link #start()}, so that each listener's
     * failure to bind can be told apart.
     */
    public void startTls() throws InterruptedException {
        int port = config.tls().orElseThrow().httpsPort();
        ListenerFacts facts = new ListenerFacts(true, port, config.tls().get().trustProxyHeadersOnHttps());
        tlsListener = bootstrap(new ClientPipeline(shared, facts, tls, null))
                .bind(config.host(), port).sync().channel();
    }

    private ServerBootstrap bootstrap(ClientPipeline pipeline) {
        return new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new ChannelInitializer<ServerChannel>() {
                    @Override
                    protected void initChannel(ServerChannel ch) {
                        ch.pipeline().addLast(HandlerNames.ACCEPT_PAUSE,
                                new AcceptPause(observer.metrics()::acceptFailed));
                    }
                })
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(pipeline);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The TLS listener's port actually bound, or -1 without one. */
    public int tlsPort() {
        return tlsListener == null ? -1 : ((InetSocketAddress) tlsListener.localAddress()).getPort();
    }

    public String transportName() {
        return transport.name();
    }

    /**
     * Closes the listener; connections already accepted finish the request they are on and then close, idle ones
     * close at once, so that draining takes as long as the slowest request rather than the keep-alive timeout.
     */
    public void stopAccepting() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        if (tlsListener != null) {
            tlsListener.close().syncUninterruptibly();
        }
        clients.forEach(client -> client.pipeline().fireUserEventTriggered(Drain.EVENT));
    }

    /** Waits until every client connection has closed, up to {@code timeout}; true when none is left. */
    public boolean awaitClientsClosed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return clients.isEmpty();
    }

    @Override
    public void close() {
        stopAccepting();
        clients.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        if (documentRoot != null) {
            documentRoot.close();
        }
    }
}
