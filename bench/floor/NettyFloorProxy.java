import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;

/**
 * Not the front: a minimal proxy on Netty 4.2, for the bench to measure the floor of the stack the front is
 * built on. One event loop like the front's; each client connection gets its own backend connection (no pool, no
 * queue, no limits, no checks, no timeouts, no metrics), and messages are passed through as decoded. {@code http}
 * decodes and re-encodes with Netty's stock codecs (and sets the forwarding headers, as every proxy in the bench
 * does); {@code tcp} relays bytes without looking at them. Runs from source with the front's jar on the class path:
 * <pre>
 * FRONT_CMD="$JAVA -cp proxy-launcher/target/front.jar bench/floor/NettyFloorProxy.java http {port} {upstream} io_uring" \
 *   bench/run --scenarios proxy
 * </pre>
 */
public final class NettyFloorProxy {

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4 || !args[0].matches("http|tcp") || !args[3].matches("io_uring|epoll")) {
            System.err.println("usage: NettyFloorProxy http|tcp PORT BACKEND_HOST:PORT io_uring|epoll");
            System.exit(2);
        }
        System.setProperty("io.netty.leakDetection.level", "disabled"); // as the front does
        boolean http = args[0].equals("http");
        int port = Integer.parseInt(args[1]);
        int colon = args[2].lastIndexOf(':');
        InetSocketAddress backend = new InetSocketAddress(args[2].substring(0, colon),
                Integer.parseInt(args[2].substring(colon + 1)));
        boolean uring = args[3].equals("io_uring");
        IoHandlerFactory io = uring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory();
        Class<? extends ServerChannel> server = uring ? IoUringServerSocketChannel.class : EpollServerSocketChannel.class;
        Class<? extends Channel> client = uring ? IoUringSocketChannel.class : EpollSocketChannel.class;
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, io);
        new ServerBootstrap().group(loop).channel(server)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false) // until the backend connection is up
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (http) {
                            ch.pipeline().addLast(new HttpServerCodec());
                        }
                        ch.pipeline().addLast(new ClientSide(http, backend, client));
                    }
                })
                .bind("127.0.0.1", port).sync().channel().closeFuture().sync();
    }

    /** Writes what the client sends to its backend connection; flushes once per read, as the front does. */
    private static final class ClientSide extends ChannelInboundHandlerAdapter {
        private final boolean http;
        private final InetSocketAddress backend;
        private final Class<? extends Channel> channelClass;
        private Channel back;

        ClientSide(boolean http, InetSocketAddress backend, Class<? extends Channel> channelClass) {
            this.http = http;
            this.backend = backend;
            this.channelClass = channelClass;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel front = ctx.channel();
            new Bootstrap().group(front.eventLoop()).channel(channelClass)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (http) {
                                ch.pipeline().addLast(new HttpClientCodec());
                            }
                            ch.pipeline().addLast(new BackendSide(front));
                        }
                    })
                    .connect(backend).addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            back = f.channel();
                            front.config().setAutoRead(true);
                        } else {
                            front.close();
                        }
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                request.headers().set("X-Forwarded-For", "127.0.0.1").set("X-Forwarded-Proto", "http");
            }
            back.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            back.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (back != null) {
                back.close();
            }
        }
    }

    /** Writes what the backend answers to the client. */
    private static final class BackendSide extends ChannelInboundHandlerAdapter {
        private final Channel front;

        BackendSide(Channel front) {
            this.front = front;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            front.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            front.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            front.close();
        }
    }
}
