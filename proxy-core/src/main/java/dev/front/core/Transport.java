package dev.front.core;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The native epoll transport when it loads (sendfile, fewer copies), else NIO. */
public record Transport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannel,
                        Class<? extends Channel> socketChannel, Class<? extends Channel> domainSocketChannel) {

    public static Transport best() {
        if (Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                    EpollSocketChannel.class, EpollDomainSocketChannel.class);
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class,
                NioSocketChannel.class, NioDomainSocketChannel.class);
    }

    /**
     * @param threads event loops; 0 = one per available processor, like nginx's {@code worker_processes auto}
     *                (Netty's own default is two per processor, which on a small container only adds context
     *                switches between loops that share one CPU)
     */
    public EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads > 0 ? threads : Runtime.getRuntime().availableProcessors(),
                new io.netty.util.concurrent.DefaultThreadFactory(name, true), ioHandlerFactory);
    }

    /** The address to connect to for {@code upstream}, in the form this transport's channels take. */
    public java.net.SocketAddress addressOf(dev.front.config.Upstream upstream) {
        return switch (upstream) {
            case dev.front.config.Upstream.Tcp tcp -> new java.net.InetSocketAddress(tcp.host(), tcp.port());
            case dev.front.config.Upstream.Unix unix -> name.equals("epoll")
                    ? new io.netty.channel.unix.DomainSocketAddress(unix.path().toString())
                    : java.net.UnixDomainSocketAddress.of(unix.path());
        };
    }

    /** The channel class that connects to {@code address}: TCP or a Unix domain socket. */
    public Class<? extends Channel> channelFor(java.net.SocketAddress address) {
        return address instanceof java.net.InetSocketAddress ? socketChannel : domainSocketChannel;
    }

    /** Why epoll is not used, for the startup log; {@code null} when it is. */
    public static Throwable epollUnavailabilityCause() {
        return Epoll.unavailabilityCause();
    }
}
