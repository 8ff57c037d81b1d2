package dev.front.core.transport;

import dev.front.config.IoTransport;
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
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.function.Supplier;

/**
 * A network transport: its event loops and channel classes. io_uring spends less CPU per request than epoll (the
 * reads and writes of many connections go to the kernel in one system call); epoll works where io_uring is
 * refused; NIO works everywhere.
 */
public record Transport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannel,
                        Class<? extends Channel> socketChannel, Class<? extends Channel> domainSocketChannel) {

    static {
        // Netty 4.2.18's io_uring transport gets two things wrong with its multishot requests that one-shot ones
        // (armed again each time, and checked against the socket's state when armed) get right. Set before the
        // transport's classes read them; an operator's own -D setting wins.
        // A readiness poll that fires once per change never fires again for a client that reset the connection
        // while the front was not reading (an upload aborted while a piece was being stored, a refused upload
        // being drained): the socket, and the temp file, were held until the body timeout or the drain's end.
        defaultProperty("io.netty.iouring.pollAddMultishotEnabled", "false");
        // A multishot accept that fails (out of descriptors) is re-armed at once even with auto-read off, so the
        // listener could not pause (AcceptPause): one core spun on the failing accept.
        defaultProperty("io.netty.iouring.acceptMultiShotEnabled", "false");
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * The transport {@code option} asks for: {@code auto} takes the first of io_uring, epoll and NIO that the kernel
     * allows (a container's seccomp profile may refuse io_uring).
     *
     * @throws IllegalArgumentException when an explicitly named transport cannot be used here, with the reason
     */
    public static Transport of(IoTransport option) {
        return switch (option) {
            case AUTO -> IoUring.isAvailable() ? ioUring() : Epoll.isAvailable() ? epoll() : nio();
            case IO_URING -> ifAvailable(option, IoUring.unavailabilityCause(), Transport::ioUring);
            case EPOLL -> ifAvailable(option, Epoll.unavailabilityCause(), Transport::epoll);
            case NIO -> nio();
        };
    }

    /** @param cause why the transport cannot be used here; {@code null} when it can */
    private static Transport ifAvailable(IoTransport option, Throwable cause, Supplier<Transport> transport) {
        if (cause != null) {
            throw new IllegalArgumentException("--transport: " + option.optionValue() + " (not available here: "
                    + cause + ")");
        }
        return transport.get();
    }

    private static Transport ioUring() {
        return new Transport("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class,
                IoUringSocketChannel.class, IoUringDomainSocketChannel.class);
    }

    private static Transport epoll() {
        return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                EpollSocketChannel.class, EpollDomainSocketChannel.class);
    }

    private static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class,
                NioSocketChannel.class, NioDomainSocketChannel.class);
    }

    /** Why neither native transport loaded, for the startup log when {@code auto} ends on NIO. */
    public static String nativeUnavailabilityCause() {
        return "io_uring: " + IoUring.unavailabilityCause() + "; epoll: " + Epoll.unavailabilityCause();
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
            case dev.front.config.Upstream.Unix unix -> !name.equals("nio")
                    ? new io.netty.channel.unix.DomainSocketAddress(unix.path().toString())
                    : java.net.UnixDomainSocketAddress.of(unix.path());
        };
    }

    /** The channel class that connects to {@code address}: TCP or a Unix domain socket. */
    public Class<? extends Channel> channelFor(java.net.SocketAddress address) {
        return address instanceof java.net.InetSocketAddress ? socketChannel : domainSocketChannel;
    }

    /**
     * How the log names an address: {@code 127.0.0.1:8000} rather than InetSocketAddress's
     * {@code localhost/127.0.0.1:8000}, and a Unix socket as {@code unix:/PATH}, the way {@code --upstream} takes it
     * (both socket address types print the bare path).
     */
    public static String text(SocketAddress address) {
        return switch (address) {
            case InetSocketAddress inet when inet.getAddress() != null -> {
                String host = inet.getAddress().getHostAddress();
                yield (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
            }
            case DomainSocketAddress unix -> "unix:" + unix.path();
            case UnixDomainSocketAddress unix -> "unix:" + unix.getPath();
            case null, default -> String.valueOf(address);
        };
    }
}
