package dev.front.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderLinesTest {

    @Test
    void writesEveryKindOfNameAndValueAsNettysEncoderDoes() {
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders()
                .add(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8") // AsciiString name, String value
                .add("X-Plain", new StringBuilder("built")) // String name, another CharSequence value
                .add(AsciiString.of("X-Ascii"), AsciiString.of("ascii"))
                .add("X-Latin1", "caf\u00e9")
                .add("X-Empty", "");

        assertThat(encoded(headers, false)).isEqualTo(encoded(headers, true));
        assertThat(new String(lines(headers), StandardCharsets.ISO_8859_1)).isEqualTo(
                "content-type: text/plain; charset=utf-8\r\nX-Plain: built\r\nX-Ascii: ascii\r\nX-Latin1: caf\u00e9\r\n"
                        + "X-Empty: \r\n");
    }

    @Test
    void aCharNoByteCanHoldBecomesAQuestionMarkNeverALineBreak() {
        // U+010A would be LF if only its low byte were kept.
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders()
                .add("Location", "/a\u010ab");

        assertThat(new String(lines(headers), StandardCharsets.ISO_8859_1)).isEqualTo("Location: /a?b\r\n");
        assertThat(encoded(headers, false)).isEqualTo(encoded(headers, true));
    }

    private static byte[] lines(HttpHeaders headers) {
        ByteBuf buf = Unpooled.buffer(8);
        try {
            HeaderLines.encode(headers, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** A whole response head, by Netty's encoder or by the client codec's (which writes with HeaderLines). */
    private static byte[] encoded(HttpHeaders headers, boolean front) {
        EmbeddedChannel channel = front ? new EmbeddedChannel(new ClientCodec(ClientCodec.decoderConfig()))
                : new EmbeddedChannel(new HttpResponseEncoder());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.EMPTY_BUFFER, headers.copy(), DefaultHttpHeadersFactory.trailersFactory().newHeaders());
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        channel.writeOutbound(response);
        ByteBuf out = Unpooled.buffer();
        for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
            out.writeBytes(part);
            part.release();
        }
        channel.finishAndReleaseAll();
        byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        return bytes;
    }
}
