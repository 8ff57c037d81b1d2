package dev.front.core;

import dev.front.config.FrontConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The public listener: binds, builds each client pipeline (see {@link HandlerNames}), and stops accepting on demand. */
public final class FrontServer implements AutoCloseable {

    private final FrontConfig config;
    private final Transport transport;
    private final EventLoopGroup group;
    private final Router router;
    private final AliasService aliasService;
    private final ForwardingService forwarding;
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel listener;

    /**
     * @param forwarding {@code null} when the front forwards nowhere (only aliases are served, the rest is 404)
     */
    public FrontServer(FrontConfig config, Transport transport, EventLoopGroup group, AliasService aliasService,
                       ForwardingService forwarding) {
        this.config = config;
        this.transport = transport;
        this.group = group;
        this.router = new Router(config.aliases());
        this.aliasService = aliasService;
        this.forwarding = forwarding;
    }

    public void start() throws InterruptedException {
        long keepAliveMillis = config.limits().keepAliveTimeout().toMillis();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        clients.add(ch);
                        HttpDecoderConfig decoder = new HttpDecoderConfig()
                                .setMaxInitialLineLength(8192)
                                .setMaxHeaderSize(32 * 1024)
                                .setMaxChunkSize(64 * 1024)
                                .setStrictLineParsing(true)
                                .setUseRfc9112TransferEncoding(true);
                        ch.pipeline()
                                .addLast(HandlerNames.IDLE,
                                        new IdleStateHandler(true, 0, 0, keepAliveMillis, TimeUnit.MILLISECONDS))
                                .addLast(HandlerNames.CODEC, new HttpServerCodec(decoder))
                                .addLast(HandlerNames.FLOW, new FlowControlHandler())
                                .addLast(HandlerNames.KEEP_ALIVE, new KeepAliveHandler())
                                .addLast(HandlerNames.ROUTER, new RouterHandler(router, aliasService, forwarding));
                    }
                });
        listener = bootstrap.bind(config.host(), config.port()).sync().channel();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public String transportName() {
        return transport.name();
    }

    /** Closes the listener; connections already accepted carry on. */
    public void stopAccepting() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
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
    }
}
