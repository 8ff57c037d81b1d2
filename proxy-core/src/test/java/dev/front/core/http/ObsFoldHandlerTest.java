package dev.front.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ObsFoldHandlerTest {

    /** Feeds {@code pieces} to the handler and the real codec; returns "ok URI" / "failed" per decoded head. */
    private static List<String> heads(String... pieces) {
        EmbeddedChannel channel = new EmbeddedChannel(new ObsFoldHandler(),
                new ClientCodec(ClientCodec.decoderConfig()));
        for (String piece : pieces) {
            channel.writeInbound(Unpooled.copiedBuffer(piece, StandardCharsets.ISO_8859_1));
        }
        List<String> heads = new ArrayList<>();
        boolean more = true;
        while (more) {
            more = false;
            Object message;
            while ((message = channel.readInbound()) != null) {
                more = true;
                if (message instanceof HttpRequest request) {
                    heads.add(request.decoderResult().isSuccess() ? "ok " + request.uri() : "failed");
                } else if (message instanceof HttpContent content && content.decoderResult().isFailure()) {
                    heads.add("bad content");
                }
                ReferenceCountUtil.release(message);
            }
            channel.read(); // the codec decodes a message per read asked for
        }
        channel.finishAndReleaseAll();
        return heads;
    }

    /** The same bytes one at a time: the framing must be followed across any split. */
    private static List<String> bytewise(String raw) {
        String[] pieces = new String[raw.length()];
        for (int i = 0; i < raw.length(); i++) {
            pieces[i] = raw.substring(i, i + 1);
        }
        return heads(pieces);
    }

    @Test
    void aSecondContentLengthIsRefusedOnHttp10AsOn11() {
        for (String version : List.of("HTTP/1.0", "HTTP/1.1")) {
            String two = "POST /a " + version + "\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!";
            assertThat(heads(two)).as(version).containsExactly("failed");
            assertThat(bytewise(two)).as(version).containsExactly("failed");
            assertThat(heads("POST /a " + version + "\r\nContent-Length: 5, 5\r\n\r\nhello")).containsExactly("failed");
            assertThat(heads("GET /b " + version + "\r\nContent-Length: 0\r\n\r\nPOST /a " + version
                    + "\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello")).as("after a request that may pass")
                    .containsExactly("ok /b", "failed");
        }
        assertThat(heads("POST /a HTTP/1.0\r\nContent-Length: 5\r\n\r\nhelloPOST /b HTTP/1.0\r\nContent-Length: 1\r\n\r\nx"))
                .as("one Content-Length per request is fine").containsExactly("ok /a", "ok /b");
    }

    @Test
    void foldedHeaderLineIsRefused() {
        String raw = "GET /a HTTP/1.1\r\nHost: a\r\nX: one\r\n two\r\n\r\n";
        assertThat(heads(raw)).containsExactly("failed");
        assertThat(bytewise(raw)).containsExactly("failed");
        assertThat(heads("GET /a HTTP/1.1\r\nHost: a\r\nX: one\r\n\ttwo\r\n\r\n")).containsExactly("failed");
    }

    @Test
    void requestsBeforeTheFoldedOneAreDecodedAndNothingAfterIt() {
        String raw = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\n\r\n\r\n x\r\n y"
                + "POST /3 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n\r\n z\r\n0\r\nT: 1\r\n\r\n"
                + "GET /4 HTTP/1.1\r\nHost: a\r\nX: 1\r\n folded\r\n\r\n"
                + "GET /5 HTTP/1.1\r\nHost: a\r\n\r\n";
        assertThat(heads(raw)).containsExactly("ok /1", "ok /2", "ok /3", "failed");
        assertThat(bytewise(raw)).containsExactly("ok /1", "ok /2", "ok /3", "failed");
    }

    @Test
    void bodiesThatLookLikeFoldsAreLeftAlone() {
        String raw = "POST /1 HTTP/1.1\r\nHost: a\r\nContent-Length: 8\r\n\r\nA: b\r\n c"
                + "\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n";
        assertThat(heads(raw)).containsExactly("ok /1", "ok /2");
        assertThat(bytewise(raw)).containsExactly("ok /1", "ok /2");
    }

    @Test
    void aFoldSplitAcrossReadsIsRefused() {
        assertThat(heads("GET /a HTTP/1.1\r\nHost: a\r\nX: one\r\n", " two\r\n\r\n")).containsExactly("failed");
    }

    @Test
    void framingHeadersAreFoundInAnyCaseAndOnlyByTheirName() {
        // A body that looks like a fold must be skipped by its length whatever the case of the header's name, and a
        // header whose name merely has the same length must not be taken for Content-Length.
        String raw = "POST /1 HTTP/1.1\r\nHost: a\r\nX-Content-Leng: 99\r\ncOnTeNt-LeNgTh: 8\r\n\r\nA: b\r\n c"
                + "POST /2 HTTP/1.1\r\nHost: a\r\nTRANSFER-ENCODING: chunked\r\n\r\n4\r\n\r\n z\r\n0\r\n\r\n"
                + "GET /3 HTTP/1.1\r\nHost: a\r\n\r\n";
        assertThat(heads(raw)).containsExactly("ok /1", "ok /2", "ok /3");
        assertThat(bytewise(raw)).containsExactly("ok /1", "ok /2", "ok /3");
    }
}
