package dev.front.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EmptyWriteFilterTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new EmptyWriteFilter());

    @Test
    void anEmptyBufferNeverReachesTheTransportAndCompletesWithTheWriteBeforeIt() {
        ChannelFuture body = channel.write(Unpooled.copiedBuffer("body", StandardCharsets.US_ASCII));
        ChannelFuture end = channel.write(Unpooled.EMPTY_BUFFER);
        assertThat(end.isDone()).as("done before the body is out").isFalse();

        channel.flush();

        assertThat(body.isSuccess()).isTrue();
        assertThat(end.isSuccess()).isTrue();
        ByteBuf written = channel.readOutbound();
        assertThat(written.toString(StandardCharsets.US_ASCII)).isEqualTo("body");
        written.release();
        assertThat((Object) channel.readOutbound()).as("nothing after the body").isNull();
    }

    @Test
    void anEmptyBufferFailsWithTheWriteBeforeIt() {
        ByteBuf body = Unpooled.copiedBuffer("body", StandardCharsets.US_ASCII);
        ChannelFuture bodyWrite = channel.write(body);
        ChannelFuture end = channel.write(Unpooled.EMPTY_BUFFER);

        channel.close(); // the body is dropped unsent

        assertThat(bodyWrite.isSuccess()).isFalse();
        assertThat(end.isDone()).isTrue();
        assertThat(end.cause()).isSameAs(bodyWrite.cause());
    }

    @Test
    void anEmptyBufferAloneCompletesAtOnce() {
        ChannelFuture end = channel.writeAndFlush(Unpooled.EMPTY_BUFFER);

        assertThat(end.isSuccess()).isTrue();
        assertThat((Object) channel.readOutbound()).isNull();
    }
}
