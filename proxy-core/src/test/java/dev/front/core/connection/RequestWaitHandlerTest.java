package dev.front.core.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RequestWaitHandlerTest {

    private static final long IDLE_MILLIS = 200;
    private static final long HEAD_MILLIS = 500;

    private final List<Object> events = new ArrayList<>();
    private final RequestWaitHandler wait = new RequestWaitHandler(TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS),
            TimeUnit.MILLISECONDS.toNanos(HEAD_MILLIS));
    private final EmbeddedChannel channel = new EmbeddedChannel(wait, new ChannelInboundHandlerAdapter() {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    });

    /** Lets {@code millis} pass, then runs the timer checks that are due. */
    private void after(long millis) throws InterruptedException {
        Thread.sleep(millis);
        channel.runScheduledPendingTasks();
    }

    @Test
    void aConnectionWithoutAByteIsIdleAfterTheKeepAliveTimeout() throws InterruptedException {
        after(IDLE_MILLIS / 2);
        assertThat(events).isEmpty();
        after(IDLE_MILLIS);
        assertThat(events).containsExactly(RequestWaitHandler.IDLE_EXPIRED);
        after(HEAD_MILLIS);
        assertThat(events).as("one answer per wait").hasSize(1);
    }

    @Test
    void theFirstByteEndsTheIdleWaitAndTheHeadIsTimedFromTheOpening() throws InterruptedException {
        after(IDLE_MILLIS / 2);
        channel.writeInbound(Unpooled.copiedBuffer(new byte[] {'G'}));
        after(IDLE_MILLIS);
        assertThat(events).as("a head has begun: no longer idle").isEmpty();
        after(HEAD_MILLIS);
        assertThat(events).containsExactly(RequestWaitHandler.HEAD_EXPIRED);
    }

    @Test
    void betweenRequestsTheWaitStartsAgainWhenArmed() throws InterruptedException {
        channel.writeInbound(Unpooled.copiedBuffer(new byte[] {'G'}));
        wait.disarm(); // the head was decoded: an exchange runs, the client is not waited for
        after(HEAD_MILLIS + IDLE_MILLIS);
        assertThat(events).isEmpty();
        wait.arm(); // the response is out
        after(IDLE_MILLIS / 2);
        assertThat(events).isEmpty();
        channel.writeInbound(Unpooled.copiedBuffer(new byte[] {'G'}));
        after(IDLE_MILLIS);
        assertThat(events).as("the next head is timed from its first byte").isEmpty();
        after(HEAD_MILLIS);
        assertThat(events).containsExactly(RequestWaitHandler.HEAD_EXPIRED);
    }

    @Test
    void noCheckOutlivesTheHandler() throws InterruptedException {
        // as when the connection becomes a WebSocket tunnel: the connection stays, the HTTP wait is over
        channel.pipeline().remove(wait);
        assertThat(channel.runScheduledPendingTasks()).as("no timer task left scheduled").isEqualTo(-1);
        after(HEAD_MILLIS + IDLE_MILLIS);
        assertThat(events).isEmpty();
    }
}
