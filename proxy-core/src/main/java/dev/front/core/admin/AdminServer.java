package dev.front.core.admin;

import dev.front.core.observe.PrometheusMetrics;
import dev.front.core.connection.HandlerNames;
import dev.front.core.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The admin listener ({@code --admin-port}): {@code /metrics}, {@code /healthz}, {@code /readyz} on the public
 * listener's event loops. Kept apart from the public port so probes and scrapes never pass the router, the access
 * log or the child, and can be firewalled separately. It is closed last, so {@code /healthz} answers until exit.
 */
public final class AdminServer implements AutoCloseable {

    /** Probe and scrape requests carry no body worth more than this. */
    private static final int MAX_REQUEST_BODY = 8192;
    /** A scraper keeps its connection between scrapes (15 to 60 s apart); longer than that it has gone. */
    private static final long IDLE_SECONDS = 120;

    private final Transport transport;
    private final EventLoopGroup group;
    private final PrometheusMetrics metrics;
    private final ReadyState ready;
    private final ReloadRequests reloads;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel listener;

    /** @param reloads where {@code POST /reload} asks for a new child; {@code null} when the front runs none */
    public AdminServer(Transport transport, EventLoopGroup group, PrometheusMetrics metrics, ReadyState ready,
                       ReloadRequests reloads) {
        this.reloads = reloads;
        this.transport = transport;
        this.group = group;
        this.metrics = metrics;
        this.ready = ready;
    }

    public void start(String host, int port) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.pipeline()
                                .addLast(HandlerNames.ADMIN_IDLE,
                                        new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                                .addLast(HandlerNames.ADMIN_CODEC, new HttpServerCodec())
                                .addLast(HandlerNames.ADMIN_AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BODY))
                                .addLast(HandlerNames.ADMIN, new AdminHandler(metrics, ready, reloads));
                    }
                });
        listener = bootstrap.bind(host, port).sync().channel();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
}
