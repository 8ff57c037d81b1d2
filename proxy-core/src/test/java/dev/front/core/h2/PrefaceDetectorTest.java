package dev.front.core.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PrefaceDetectorTest {

    private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

    private final AtomicInteger switched = new AtomicInteger();

    private EmbeddedChannel channel() {
        // a marker behind the detector: what HTTP/2's handlers would be
        return new EmbeddedChannel(new PrefaceDetector(p -> {
            switched.incrementAndGet();
            p.addLast("h2", new ChannelInboundHandlerAdapter());
        }));
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    @Test
    void thePrefaceInOnePieceSwitchesAndPassesEverythingOn() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(PREFACE + "\0\0\0\4\0\0\0\0\0"));
        assertThat(switched).hasValue(1);
        assertThat(ch.pipeline().get(PrefaceDetector.class)).isNull();
        assertThat(ch.pipeline().get("h2")).isNotNull();
        ByteBuf passed = ch.readInbound();
        assertThat(passed.toString(StandardCharsets.US_ASCII)).isEqualTo(PREFACE + "\0\0\0\4\0\0\0\0\0");
        passed.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void thePrefaceByteByByteWaitsUntilItIsWhole() {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < PREFACE.length() - 1; i++) {
            ch.writeInbound(bytes(PREFACE.substring(i, i + 1)));
            assertThat(switched).hasValue(0);
            assertThat((Object) ch.readInbound()).isNull();
        }
        ch.writeInbound(bytes(PREFACE.substring(PREFACE.length() - 1)));
        assertThat(switched).hasValue(1);
        ByteBuf passed = ch.readInbound();
        assertThat(passed.toString(StandardCharsets.US_ASCII)).isEqualTo(PREFACE);
        passed.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void http11IsDecidedAtTheFirstByteThatDiffers() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("P"));
        assertThat((Object) ch.readInbound()).isNull(); // PRI or POST/PUT/PATCH: not known yet
        ch.writeInbound(bytes("OST / HTTP/1.1\r\n"));
        assertThat(switched).hasValue(0);
        assertThat(ch.pipeline().get(PrefaceDetector.class)).isNull();
        ByteBuf passed = ch.readInbound();
        assertThat(passed.toString(StandardCharsets.US_ASCII)).isEqualTo("POST / HTTP/1.1\r\n");
        passed.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aPrefaceForAnotherVersionIsHttp11() {
        assertThat(PrefaceDetector.match(bytes("PRI * HTTP/1.1\r\n\r\n"))).isEqualTo(PrefaceDetector.Verdict.HTTP1);
        assertThat(PrefaceDetector.match(bytes("PRI * HTTP/2"))).isEqualTo(PrefaceDetector.Verdict.UNDECIDED);
        assertThat(PrefaceDetector.match(bytes("GET"))).isEqualTo(PrefaceDetector.Verdict.HTTP1);
    }
}
