package dev.front.core.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The drain's own rules; that a real client reads its refusal is {@code ForwardingIT}'s. */
class LingeringCloseTest {

    private final List<Object> passedOn = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new LingeringClose(), new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            passedOn.add(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            passedOn.add("readComplete");
        }
    });

    private void after(long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void whatStillComesIsDroppedAndGoesNoFurther() {
        ByteBuf rest = Unpooled.copiedBuffer(new byte[] {'x', 'y'});
        channel.writeInbound(rest);
        assertThat(rest.refCnt()).isZero();
        assertThat(passedOn).isEmpty();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void closesAfterFiveQuietSeconds() {
        after(4);
        assertThat(channel.isOpen()).isTrue();
        after(2);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aClientThatKeepsSendingIsCutOffAfterThirtySeconds() {
        for (int second = 0; second < 28; second += 4) {
            after(4);
            channel.writeInbound(Unpooled.copiedBuffer(new byte[] {'x'}));
        }
        assertThat(channel.isOpen()).as("each read restarts the quiet time").isTrue();
        after(3);
        assertThat(channel.isOpen()).isFalse();
    }
}
