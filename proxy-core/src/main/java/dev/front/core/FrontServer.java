package dev.front.core;

import dev.front.config.FrontConfig;
import dev.front.core.alias.AliasService;
import dev.front.core.alias.DocumentRoot;
import dev.front.core.alias.Router;
import dev.front.core.connection.Drain;
import dev.front.core.connection.HandlerNames;
import dev.front.core.observe.RequestObserver;
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
 * The public listener: binds, gives each client connection its pipeline ({@link ClientPipeline}), and stops accepting
 * on demand.
 */
public final class FrontServer implements AutoCloseable {

    private final FrontConfig config;
    private final Transport transport;
    private final EventLoopGroup group;
    private final Router router;
    private final AliasService aliasService;
    private final ForwardingService forwarding;
    private final RequestObserver observer;
    /** {@code --document-root}, or {@code null}. */
    private final DocumentRoot documentRoot;
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel listener;

    /**
     * @param forwarding {@code null} when the front forwards nowhere (only aliases are served, the rest is 404)
     * @param observer   where each connection reports its requests (metrics, access log)
     */
    public FrontServer(FrontConfig config, Transport transport, EventLoopGroup group, AliasService aliasService,
                       ForwardingService forwarding, RequestObserver observer) {
        this.config = config;
        this.transport = transport;
        this.group = group;
        this.router = new Router(config.aliases());
        this.aliasService = aliasService;
        this.forwarding = forwarding;
        this.observer = observer;
        this.documentRoot = config.site().documentRoot().map(DocumentRoot::new).orElse(null);
    }

    public void start() throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
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
                .childHandler(new ClientPipeline(config, router, aliasService, forwarding, observer, clients,
                        documentRoot));
        listener = bootstrap.bind(config.host(), config.port()).sync().channel();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
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
