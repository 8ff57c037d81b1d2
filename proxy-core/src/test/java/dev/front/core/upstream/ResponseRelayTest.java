package dev.front.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ResponseRelayTest {

    @TempDir
    Path temp;

    private final EmbeddedChannel client = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = client.pipeline().firstContext();

    private ResponseRelay relay(long maxTempFileSize) {
        return new ResponseRelay(ctx, temp, maxTempFileSize, LoggerFactory.getLogger("test"), () -> { });
    }

    private static HttpResponse head() {
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    @Test
    void aResponseThatCameInOneReadGoesOutAsOneMessage() {
        ResponseRelay relay = relay(1 << 20);
        HttpResponse head = head();
        relay.head(head);
        relay.last(bytes("hello"));
        assertThat(relay.drained()).isTrue();
        client.writeOutbound(relay.end());
        FullHttpResponse whole = client.readOutbound();
        assertThat(whole.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(whole.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        whole.release();
        assertThat((Object) client.readOutbound()).isNull();
    }

    @Test
    void theHeadGoesOutOnceBeforeTheBodyAndTheEndIsALastChunk() {
        ResponseRelay relay = relay(1 << 20);
        HttpResponse head = head();
        relay.head(head);
        relay.body(bytes("abc"));
        relay.writeHead(); // the end of the read: nothing left to write
        client.writeOutbound(relay.end());
        assertThat((Object) client.readOutbound()).isSameAs(head);
        HttpContent piece = client.readOutbound();
        assertThat(piece.content().toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
        piece.release();
        assertThat((Object) client.readOutbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    @Test
    void aWritableClientLeavesRoomAndNothingIsSpooled() {
        ResponseRelay relay = relay(1 << 20);
        relay.body(bytes("abc"));
        assertThat(relay.hasRoom()).isTrue();
        assertThat(relay.drained()).isTrue();
        client.flushOutbound();
        HttpContent piece = client.readOutbound();
        assertThat(piece.content().toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
        piece.release();
        relay.release();
    }

    @Test
    void aBodyForAClientThatLeftIsDropped() {
        ResponseRelay relay = relay(1 << 20);
        client.close();
        ByteBuf data = bytes("late");
        relay.body(data);
        assertThat(data.refCnt()).isZero();
        relay.release();
    }

    @Test
    void withoutSpoolingAnUnwritableClientStopsTheReads() {
        ResponseRelay relay = relay(0);
        client.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        client.write(bytes("fills the outbound buffer"));
        assertThat(client.isWritable()).isFalse();
        assertThat(relay.hasRoom()).isFalse();
        relay.body(bytes("abc")); // goes to the client's own buffer: spooling is off
        assertThat(relay.drained()).isTrue();
        client.flushOutbound();
        client.releaseOutbound();
        relay.release();
    }

    @Test
    void releaseFreesTheKeptLastBytes() {
        ResponseRelay relay = relay(1 << 20);
        ByteBuf last = bytes("end");
        relay.last(last);
        relay.release();
        assertThat(last.refCnt()).isZero();
    }
}
