package dev.front.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.core.FrontServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client codec on an embedded channel, with auto-read off and a flow handler as in {@link FrontServer}. */
class ClientCodecTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();

    /**
     * Like the router: one request at a time; its answer ("abc") is written when the test says, later than the
     * request's end as a real answer would be, and then the next request is read. A read that a read cycle did not
     * satisfy is asked for again at its end.
     */
    private static final class Answering extends ChannelInboundHandlerAdapter {
        final List<String> targets = new ArrayList<>();
        private ChannelHandlerContext ctx;
        private boolean waiting;
        private boolean complete;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            read();
        }

        private void read() {
            waiting = true;
            ctx.read();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (waiting) {
                ctx.read();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            waiting = false;
            if (msg instanceof HttpRequest request) {
                targets.add(request.method() + " " + request.uri());
            }
            complete = msg instanceof LastHttpContent;
            ReferenceCountUtil.release(msg);
            if (!complete) {
                read();
            }
        }

        /** Answers the request read completely, if there is one; whether there was. */
        boolean answer() {
            if (!complete) {
                return false;
            }
            complete = false;
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII));
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 3);
            ctx.writeAndFlush(response);
            read();
            return true;
        }
    }

    /** Counts the request heads the codec hands on. */
    private static final class Decoded extends ChannelInboundHandlerAdapter {
        int heads;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                heads++;
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final Answering router = new Answering();
    private final Decoded decoded = new Decoded();

    private void build() {
        channel.config().setAutoRead(false);
        channel.pipeline().addLast(new ClientCodec(ClientCodec.decoderConfig()), decoded,
                new FlowControlHandler(), router);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static ByteBuf requests(int n, String method) {
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < n; i++) {
            burst.append(method).append(" /r").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        return Unpooled.copiedBuffer(burst, StandardCharsets.US_ASCII);
    }

    private String written() {
        StringBuilder out = new StringBuilder();
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            out.append(((ByteBuf) msg).toString(StandardCharsets.US_ASCII));
            ReferenceCountUtil.release(msg);
        }
        return out.toString();
    }

    @Test
    void everyRequestOfALongPipelinedBurstIsAnsweredInOrder() {
        build();
        channel.writeInbound(requests(1000, "GET"));
        int answered = 0;
        while (router.answer()) {
            answered++;
        }
        assertThat(answered).isEqualTo(1000);
        assertThat(router.targets).hasSize(1000);
        assertThat(router.targets.get(0)).isEqualTo("GET /r0");
        assertThat(router.targets.get(999)).isEqualTo("GET /r999");
        assertThat(written().split("HTTP/1.1 200 OK", -1)).hasSize(1001);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void pipelinedRequestsWaitUndecoded() {
        build();
        channel.writeInbound(requests(10, "GET"));
        // The one asked for, and at most the one after it: a read asked for while the decoder still hands on the end
        // of a request is served from the bytes held once that is done, for the flow handler to keep.
        assertThat(router.targets).containsExactly("GET /r0");
        assertThat(decoded.heads).isLessThanOrEqualTo(2);

        router.answer();
        assertThat(router.targets).containsExactly("GET /r0", "GET /r1");
        assertThat(decoded.heads).isLessThanOrEqualTo(3);
    }

    @Test
    void aHeadAnswerHasNoBodyAndTheGetAfterItHasItsOwn() {
        build();
        channel.writeInbound(Unpooled.wrappedBuffer(requests(1, "HEAD"), requests(1, "GET")));
        assertThat(router.answer()).isTrue();
        assertThat(router.answer()).isTrue();
        assertThat(router.targets).containsExactly("HEAD /r0", "GET /r0");
        assertThat(written()).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\n"
                + "HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nabc");
    }

    @Test
    void aConnectSuccessCarriesNoTransferEncodingAndOtherAnswersKeepIt() {
        build();
        channel.writeInbound(Unpooled.copiedBuffer("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n"
                + "GET /b HTTP/1.1\r\nHost: a\r\n\r\n", StandardCharsets.US_ASCII));
        // (After the CONNECT's head the encoder still ends the chunked body it had planned, as HttpServerCodec does.)
        for (String expectedHead : List.of("HTTP/1.1 200 OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            channel.write(head);
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            assertThat(written()).startsWith(expectedHead);
            channel.pipeline().read();
        }
        assertThat(router.targets).containsExactly("CONNECT a:443", "GET /b");
    }

    @Test
    void aRequestSplitAcrossReadsIsDecodedWhenComplete() {
        build();
        channel.writeInbound(Unpooled.copiedBuffer("GET /a HTTP/1.1\r\nHo", StandardCharsets.US_ASCII));
        assertThat(router.targets).isEmpty();
        channel.writeInbound(Unpooled.copiedBuffer("st: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n",
                StandardCharsets.US_ASCII));
        assertThat(router.answer()).isTrue();
        assertThat(router.answer()).isTrue();
        assertThat(router.targets).containsExactly("GET /a", "GET /b");
    }
}
