package dev.front.core.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.core.FrontServer;
import dev.front.core.connection.HandlerNames;
import dev.front.core.connection.KeepAliveHandler;
import dev.front.core.connection.RequestWaitHandler;
import dev.front.core.http.ClientCodec;
import dev.front.core.http.ObsFoldHandler;
import dev.front.core.upstream.UpstreamCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The switch from HTTP to a tunnel on two embedded channels built like the real ones: the client's pipeline of
 * {@link FrontServer} (with a stand-in router that takes one request, as the real one does) and a child connection
 * whose codec has just decoded the 101.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WebSocketTunnelTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String HANDSHAKE = "GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    private static final String SWITCHING = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

    private final TunnelCap cap = new TunnelCap(1);
    private final EmbeddedChannel client = new EmbeddedChannel();
    private final EmbeddedChannel child = new EmbeddedChannel();

    /** Takes the handshake (head and end) like the router: one message per read, nothing more. */
    private static final class OneRequest extends ChannelInboundHandlerAdapter {
        HttpRequest request;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest r) {
                request = r;
            }
            boolean last = msg instanceof LastHttpContent;
            ReferenceCountUtil.release(msg);
            if (!last) {
                ctx.read();
            }
        }
    }

    /** Opens the tunnel when the child's 101 is complete, as the exchange does. */
    private final class OnSwitch extends ChannelInboundHandlerAdapter {
        HttpResponse head;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpResponse response) {
                head = response;
            }
            if (msg instanceof LastHttpContent) {
                WebSocketTunnel.open(client, child, WebSocketHandshake.switchingProtocols(head), cap.tryAcquire(),
                        Duration.ofSeconds(60));
            }
            ReferenceCountUtil.release(msg);
        }
    }

    private void clientSends(String raw) {
        client.config().setAutoRead(false);
        client.pipeline()
                .addLast(HandlerNames.REQUEST_WAIT, new RequestWaitHandler(30_000_000_000L, 15_000_000_000L))
                .addLast(HandlerNames.OBS_FOLD, new ObsFoldHandler())
                .addLast(HandlerNames.CODEC, new ClientCodec(ClientCodec.decoderConfig()))
                .addLast(HandlerNames.FLOW, new FlowControlHandler())
                .addLast(HandlerNames.KEEP_ALIVE, new KeepAliveHandler())
                .addLast(HandlerNames.ROUTER, new OneRequest());
        client.writeInbound(bytes(raw));
    }

    private void childAnswers(String raw) {
        child.pipeline()
                .addLast(HandlerNames.UPSTREAM_CODEC, new UpstreamCodec(new HttpDecoderConfig()))
                .addLast(HandlerNames.UPSTREAM, new OnSwitch());
        child.writeOutbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/chat"));
        drain(child);
        child.writeInbound(bytes(raw));
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    /** Everything written to {@code channel} so far, as text. */
    private static String drain(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) out;
            text.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return text.toString();
    }

    @AfterEach
    void close() {
        client.finishAndReleaseAll();
        child.finishAndReleaseAll();
    }

    @Test
    void afterThe101BytesGoBothWaysAsTheyAreIncludingFramesThatCameWithIt() {
        clientSends(HANDSHAKE);
        childAnswers(SWITCHING + "\u0081\u0002hi");
        String toClient = drain(client);
        assertThat(toClient).startsWith("HTTP/1.1 101 Switching Protocols\r\n").endsWith("\r\n\r\n\u0081\u0002hi");
        assertThat(toClient).containsIgnoringCase("upgrade: websocket\r\n");
        assertThat(client.pipeline().names()).contains(HandlerNames.IDLE, HandlerNames.TUNNEL)
                .doesNotContain(HandlerNames.CODEC, HandlerNames.FLOW, HandlerNames.ROUTER, HandlerNames.OBS_FOLD);
        assertThat(child.pipeline().names()).contains(HandlerNames.TUNNEL)
                .doesNotContain(HandlerNames.UPSTREAM_CODEC, HandlerNames.UPSTREAM);

        // Bytes that would be a request line to HTTP are only frame bytes now: relayed, not parsed.
        client.writeInbound(bytes("GET / HTTP/1.1\r\n\r\n"));
        assertThat(drain(child)).isEqualTo("GET / HTTP/1.1\r\n\r\n");
        child.writeInbound(bytes("\u0088\u0000"));
        assertThat(drain(client)).isEqualTo("\u0088\u0000");
        assertThat(cap.open()).isEqualTo(1);
    }

    @Test
    void aRequestPipelinedBehindTheHandshakeIsRefusedAndNeverRelayed() {
        clientSends(HANDSHAKE + "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
        childAnswers(SWITCHING);
        String toClient = drain(client);
        assertThat(toClient).startsWith("HTTP/1.1 400 ").doesNotContain("101");
        assertThat(drain(child)).isEmpty();
        assertThat(client.isOpen()).isFalse();
        assertThat(child.isOpen()).isFalse();
        assertThat(cap.open()).isZero();
    }

    @Test
    void bytesTheCodecHadNotDecodedYetAreRefusedToo() {
        clientSends(HANDSHAKE + "GET /smug");
        childAnswers(SWITCHING);
        assertThat(drain(client)).startsWith("HTTP/1.1 400 ");
        assertThat(drain(child)).isEmpty();
        assertThat(child.isOpen()).isFalse();
    }

    @Test
    void eitherSideClosingClosesTheOtherAndFreesThePlace() {
        clientSends(HANDSHAKE);
        childAnswers(SWITCHING);
        drain(client);
        child.close();
        assertThat(client.isOpen()).isFalse();
        assertThat(cap.open()).isZero();
    }

    @Test
    void theClientClosingClosesTheChild() {
        clientSends(HANDSHAKE);
        childAnswers(SWITCHING);
        client.close();
        assertThat(child.isOpen()).isFalse();
        assertThat(cap.open()).isZero();
    }
}
