package dev.front.core.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.core.connection.RequestAttributes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.BrotliDecoder;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.codec.compression.ZstdDecoder;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ResponseCompressorTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(
            new ResponseCompressor(Compressors.of(EnumSet.allOf(Coding.class))));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static byte[] text(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; s.length() < n; i++) {
            s.append("line ").append(i).append(" of some text\n");
        }
        return s.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    private void request(HttpMethod method, String acceptEncoding, String range) {
        DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, "/");
        if (acceptEncoding != null) {
            request.headers().set(HttpHeaderNames.ACCEPT_ENCODING, acceptEncoding);
        }
        if (range != null) {
            request.headers().set(HttpHeaderNames.RANGE, range);
        }
        channel.writeInbound(request);
        assertThat((Object) channel.readInbound()).isSameAs(request);
    }

    private void mark() {
        channel.attr(RequestAttributes.ENCODABLE).set(Boolean.TRUE);
    }

    private static HttpResponse head(int length) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (length >= 0) {
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        }
        return response;
    }

    /** Everything written after the head, decoded; asserts that each non-empty piece decodes on its own arrival. */
    private static byte[] decode(Coding coding, ByteBuf compressed) {
        ChannelHandler decoder = switch (coding) {
            case GZIP -> ZlibCodecFactory.newZlibDecoder(ZlibWrapper.GZIP, 0);
            case BR -> new BrotliDecoder();
            case ZSTD -> new ZstdDecoder();
        };
        EmbeddedChannel decoding = new EmbeddedChannel(decoder);
        decoding.writeInbound(compressed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf piece; (piece = decoding.readInbound()) != null; ) {
            byte[] bytes = new byte[piece.readableBytes()];
            piece.readBytes(bytes);
            piece.release();
            out.writeBytes(bytes);
        }
        decoding.finishAndReleaseAll();
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(Coding.class)
    void aStreamedBodyIsCompressedPieceByPieceAndEachPieceDecodesAtOnce(Coding coding) {
        byte[] first = text(3000);
        byte[] second = text(5000);
        request(HttpMethod.GET, coding.token(), null);
        mark();
        HttpResponse head = head(first.length + second.length);
        head.headers().set(HttpHeaderNames.ETAG, "\"abc\"");
        channel.writeOutbound(head);
        HttpResponse out = channel.readOutbound();
        assertThat(out.headers().get(HttpHeaderNames.CONTENT_ENCODING)).isEqualTo(coding.token());
        assertThat(out.headers().contains(HttpHeaderNames.CONTENT_LENGTH)).isFalse();
        assertThat(HttpUtil.isTransferEncodingChunked(out)).isTrue();
        assertThat(out.headers().get(HttpHeaderNames.VARY)).isEqualTo("Accept-Encoding");
        assertThat(out.headers().get(HttpHeaderNames.ETAG)).isEqualTo("W/\"abc\"");
        assertThat(ResponseCompressor.encoding(channel)).isTrue();

        channel.writeOutbound(new DefaultHttpContent(Unpooled.wrappedBuffer(first)));
        HttpContent piece = channel.readOutbound();
        // What came out for the first piece alone decodes to it: nothing waits in the encoder for more.
        assertThat(decode(coding, piece.content().retainedDuplicate())).isEqualTo(first);
        ByteBuf all = Unpooled.buffer().writeBytes(piece.content());
        piece.release();

        channel.writeOutbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(second)));
        LastHttpContent last = channel.readOutbound();
        all.writeBytes(last.content());
        last.release();
        assertThat(ResponseCompressor.encoding(channel)).isFalse();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(first);
        expected.writeBytes(second);
        assertThat(decode(coding, all)).isEqualTo(expected.toByteArray());
    }

    @Test
    void aWholeBodyGoesOutWithItsCompressedLength() {
        byte[] body = text(20_000);
        request(HttpMethod.GET, "gzip", null);
        mark();
        FullHttpResponse full = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(body));
        full.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .set(HttpHeaderNames.TRANSFER_ENCODING, "chunked")
                .set(HttpHeaderNames.VARY, "Cookie, Origin");
        channel.writeOutbound(full);
        FullHttpResponse out = channel.readOutbound();
        assertThat(out.headers().get(HttpHeaderNames.CONTENT_ENCODING)).isEqualTo("gzip");
        assertThat(out.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)).isFalse();
        assertThat(HttpUtil.getContentLength(out)).isEqualTo(out.content().readableBytes()).isLessThan(body.length / 5);
        assertThat(out.headers().get(HttpHeaderNames.VARY)).isEqualTo("Cookie, Origin, Accept-Encoding");
        assertThat(decode(Coding.GZIP, out.content().retain())).isEqualTo(body);
        out.release();
    }

    @Test
    void anUnmarkedResponsePassesUntouched() {
        request(HttpMethod.GET, "br", null);
        HttpResponse head = head(5000);
        channel.writeOutbound(head);
        HttpResponse out = channel.readOutbound();
        assertThat(out).isSameAs(head);
        assertThat(out.headers().contains(HttpHeaderNames.CONTENT_ENCODING)).isFalse();
        assertThat(out.headers().contains(HttpHeaderNames.VARY)).isFalse();
        assertThat(ResponseCompressor.encoding(channel)).isFalse();
    }

    @Test
    void anInterimResponseLeavesTheMarkForTheFinalOne() {
        request(HttpMethod.GET, "br", null);
        mark();
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        ((FullHttpResponse) channel.readOutbound()).release();
        channel.writeOutbound(head(5000));
        HttpResponse out = channel.readOutbound();
        assertThat(out.headers().get(HttpHeaderNames.CONTENT_ENCODING)).isEqualTo("br");
    }

    @Test
    void headRangeAndWhatTheClientRefusesAreNotCompressedButVary() {
        for (String[] c : new String[][] {{"HEAD", "br", null}, {"GET", "br", "bytes=0-9"}, {"GET", "identity", null},
                {"GET", null, null}, {"GET", "*;q=0", null}}) {
            request(HttpMethod.valueOf(c[0]), c[1], c[2]);
            mark();
            channel.writeOutbound(head(5000));
            HttpResponse out = channel.readOutbound();
            assertThat(out.headers().contains(HttpHeaderNames.CONTENT_ENCODING)).as(String.join(" ", c[0], c[1]))
                    .isFalse();
            assertThat(out.headers().get(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("5000");
            assertThat(out.headers().get(HttpHeaderNames.VARY)).isEqualTo("Accept-Encoding");
        }
    }

    @Test
    void noTransformTinyEncodedPartialAndImagesAreNeverCandidates() {
        HttpResponse noTransform = head(5000);
        noTransform.headers().set(HttpHeaderNames.CACHE_CONTROL, "private, No-Transform");
        HttpResponse tiny = head(1023);
        HttpResponse encoded = head(5000);
        encoded.headers().set(HttpHeaderNames.CONTENT_ENCODING, "identity");
        HttpResponse partial = head(5000);
        partial.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
        HttpResponse image = head(5000);
        image.headers().set(HttpHeaderNames.CONTENT_TYPE, "image/png");
        HttpResponse vary = head(5000);
        vary.headers().set(HttpHeaderNames.VARY, "*");
        for (HttpResponse response : new HttpResponse[] {noTransform, tiny, encoded, partial, image}) {
            assertThat(ResponseEncoding.candidate(response, HttpUtil.getContentLength(response, -1L)))
                    .as(response.toString()).isFalse();
        }
        assertThat(ResponseEncoding.candidate(head(1024), 1024)).isTrue();
        assertThat(ResponseEncoding.candidate(head(-1), -1)).isTrue();
        ResponseEncoding.vary(vary.headers());
        assertThat(vary.headers().getAll(HttpHeaderNames.VARY)).containsExactly("*");
        HttpResponse named = head(5000);
        named.headers().add(HttpHeaderNames.VARY, "Origin").add(HttpHeaderNames.VARY, "accept-encoding");
        ResponseEncoding.vary(named.headers());
        assertThat(named.headers().getAll(HttpHeaderNames.VARY)).containsExactly("Origin", "accept-encoding");
    }
}
