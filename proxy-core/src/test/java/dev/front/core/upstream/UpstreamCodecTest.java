package dev.front.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The upstream codec on an embedded channel: what it sends, and how it reads the answers to what it sent. */
class UpstreamCodecTest {

    private EmbeddedChannel channel = new EmbeddedChannel(new UpstreamCodec(new HttpDecoderConfig()));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void writesTheSameBytesAsNettysEncoder() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add(HttpHeaderNames.HOST, "app.example")
                .add("X-Forwarded-For", "192.0.2.7")
                .add(HttpHeaderNames.CONTENT_LENGTH, 5);
        EmbeddedChannel netty = new EmbeddedChannel(new HttpRequestEncoder());
        try {
            netty.writeOutbound(request(headers));
            channel.writeOutbound(request(headers));

            assertThat(outbound(channel)).isEqualTo(outbound(netty))
                    .startsWith("POST /submit?a=1 HTTP/1.1\r\n").endsWith("\r\n\r\nhello");
        } finally {
            netty.finishAndReleaseAll();
        }
    }

    @Test
    void readsTheAnswerToAHeadWithoutABodyAndTheNextAnswerWithOne() {
        send(HttpMethod.HEAD);
        send(HttpMethod.GET);

        List<String> read = answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");

        assertThat(read).containsExactly("200", "end", "200", "hello", "end");
    }

    @Test
    void anInformationalAnswerLeavesTheRequestUnanswered() {
        send(HttpMethod.HEAD);

        List<String> read = answer("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");

        // Had the 103 taken the HEAD off the queue, the 200's Content-Length would be waited for as a body.
        assertThat(read).containsExactly("103", "end", "200", "end");
    }

    @Test
    void aLineThatIsNotAFieldFailsTheHead() {
        for (String line : List.of("this is not a header line", "Name : value", "this is: not")) {
            send(HttpMethod.GET);
            channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + line
                    + "\r\n\r\nok", StandardCharsets.ISO_8859_1));
            HttpObject head = channel.readInbound();
            assertThat(head.decoderResult().isFailure()).as(line).isTrue();
            ReferenceCountUtil.release(head);
            channel.finishAndReleaseAll();
            channel = new EmbeddedChannel(new UpstreamCodec(new HttpDecoderConfig()));
        }
    }

    @Test
    void aFieldWithAnEmptyValueIsStillAField() {
        send(HttpMethod.GET);
        channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nX-Empty:\r\nX-A:b\r\nContent-Length: 2\r\n\r\nok",
                StandardCharsets.ISO_8859_1));
        HttpResponse head = channel.readInbound();
        assertThat(head.decoderResult().isSuccess()).isTrue();
        assertThat(head.headers().get("X-Empty")).isEmpty();
        assertThat(head.headers().get("X-A")).isEqualTo("b");
    }

    private static FullHttpRequest request(HttpHeaders headers) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/submit?a=1",
                Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII), headers, EmptyHttpHeaders.INSTANCE);
    }

    private void send(HttpMethod method) {
        channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
        outbound(channel);
    }

    /** Feeds the upstream's bytes in and lists what was decoded: statuses, body text, "end" for each message's end. */
    private List<String> answer(String raw) {
        channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
        List<String> read = new ArrayList<>();
        for (HttpObject message = channel.readInbound(); message != null; message = channel.readInbound()) {
            assertThat(message.decoderResult().isSuccess()).isTrue();
            if (message instanceof HttpResponse response) {
                read.add(String.valueOf(response.status().code()));
            }
            if (message instanceof HttpContent content && content.content().isReadable()) {
                read.add(content.content().toString(StandardCharsets.US_ASCII));
            }
            if (message instanceof LastHttpContent) {
                read.add("end");
            }
            ReferenceCountUtil.release(message);
        }
        return read;
    }

    private static String outbound(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            text.append(((ByteBuf) out).toString(StandardCharsets.ISO_8859_1));
            ReferenceCountUtil.release(out);
        }
        return text.toString();
    }
}
