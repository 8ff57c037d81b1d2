package dev.front.staticfiles;

import dev.front.config.Alias;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** TCP_CORK over a real epoll socket: set while a sendfile response is written, cleared once it is flushed. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ResponseWriterCorkTest {

    @TempDir
    Path root;

    /** Records the socket's TCP_CORK when each response head passes, and after the write call returns. */
    static final class CorkProbe extends ChannelOutboundHandlerAdapter {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response) {
                seen.add(response.status().code() + " corked=" + ctx.channel().config().getOption(EpollChannelOption.TCP_CORK));
            }
            ctx.write(msg, promise);
        }
    }

    @Test
    void fileResponsesAreCorkedWhileWrittenAndUncorkedAfter() throws Exception {
        assumeTrue(Epoll.isAvailable(), "native epoll");
        Files.writeString(root.resolve("small.txt"), "x".repeat(1000));
        Files.writeString(root.resolve("large.txt"), "x".repeat(100_000));
        CorkProbe probe = new CorkProbe();
        List<Channel> accepted = new CopyOnWriteArrayList<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try (StaticFileService service = new StaticFileService("index.html", Runnable::run)) {
            Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<EpollSocketChannel>() {
                        @Override
                        protected void initChannel(EpollSocketChannel ch) {
                            accepted.add(ch);
                            ch.config().setTcpNoDelay(true);
                            ch.pipeline().addLast(new HttpServerCodec(), probe,
                                    new HttpExchange.ServeHandler(service, new Alias("/static", root)));
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            try (Socket client = new Socket()) {
                client.connect(server.localAddress(), 5000);
                client.setSoTimeout(5000);
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();
                for (String target : List.of("/static/large.txt", "/static/large.txt", "/static/small.txt",
                        "/static/missing.txt")) {
                    out.write(("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    readResponse(in);
                }
                // left corked, the socket would hold every last partial segment for up to 200 ms
                Channel child = accepted.getFirst();
                Boolean corkedAfter = child.eventLoop().submit(() -> child.config().getOption(EpollChannelOption.TCP_CORK)).get();
                assertThat(corkedAfter).isFalse();
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        // sendfile bodies are corked (head and body leave together); a small file is read and leaves with its head
        // in one write, and an error's one-line body is not a file: neither needs it
        assertThat(probe.seen).containsExactly("200 corked=true", "200 corked=true", "200 corked=false",
                "404 corked=false");
    }

    /** Reads one response with a Content-Length body. */
    private static void readResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertThat(c).isNotNegative();
            head.append((char) c);
        }
        String lengthLine = head.toString().lines().filter(l -> l.toLowerCase().startsWith("content-length:")).findFirst().orElseThrow();
        int length = Integer.parseInt(lengthLine.substring(lengthLine.indexOf(':') + 1).strip());
        assertThat(in.readNBytes(length)).hasSize(length);
    }
}
