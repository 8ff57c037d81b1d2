package dev.front.core;

import dev.front.config.FrontConfig;
import dev.front.core.alias.AliasService;
import dev.front.core.alias.Router;
import dev.front.core.connection.Drain;
import dev.front.core.connection.HandlerNames;
import dev.front.core.connection.KeepAliveHandler;
import dev.front.core.connection.RequestIdHandler;
import dev.front.core.connection.RequestWaitHandler;
import dev.front.core.http.ClientCodec;
import dev.front.core.http.ObsFoldHandler;
import dev.front.core.http.RequestChecks;
import dev.front.core.observe.RequestObserver;
import dev.front.core.transport.AcceptPause;
import dev.front.core.transport.Transport;
import dev.front.core.upstream.ForwardingService;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.flow.FlowControlHandler;
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
    private final RequestObserver observer;
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
    }

    public void start() throws InterruptedException {
        long keepAliveNanos = config.limits().keepAliveTimeout().toNanos();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new AcceptPause(observer.metrics()::acceptFailed))
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        clients.add(ch);
                        HttpDecoderConfig decoder = clientDecoderConfig();
                        ch.pipeline()
                                .addLast(HandlerNames.REQUEST_WAIT, new RequestWaitHandler(keepAliveNanos,
                                        config.limits().headerTimeout().toNanos()))
                                .addLast(HandlerNames.OBS_FOLD, new ObsFoldHandler())
                                .addLast(HandlerNames.CODEC, new ClientCodec(decoder))
                                .addLast(HandlerNames.FLOW, new FlowControlHandler())
                                .addLast(HandlerNames.KEEP_ALIVE, new KeepAliveHandler())
                                .addLast(HandlerNames.REQUEST_ID, new RequestIdHandler(config.requestIdHeader(),
                                        config.forwarded().networks()))
                                .addLast(HandlerNames.OBSERVER, observer.newHandler())
                                .addLast(HandlerNames.ROUTER, new RouterHandler(router, aliasService, forwarding,
                                        config.limits()));
                    }
                });
        listener = bootstrap.bind(config.host(), config.port()).sync().channel();
    }

    /**
     * The client codec's limits and strictness: request line 8 KiB (414), whole head 32 KiB (431), bare CR or LF
     * refused, Transfer-Encoding per RFC 9112, header names and values validated. {@link RequestChecks} adds what
     * the codec cannot express.
     */
    public static HttpDecoderConfig clientDecoderConfig() {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(RequestChecks.MAX_REQUEST_LINE)
                .setMaxHeaderSize(RequestChecks.MAX_HEAD_SIZE)
                .setMaxChunkSize(64 * 1024)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true);
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
    }
}
