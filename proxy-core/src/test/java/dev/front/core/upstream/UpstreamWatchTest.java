package dev.front.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.core.admin.ReadyState;
import io.netty.channel.ChannelFuture;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamWatchTest {

    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final AtomicBoolean accepting = new AtomicBoolean();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicReference<UpstreamWatch> watch = new AtomicReference<>();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** A connection attempt as ForwardingService makes it: its outcome goes to the watch. */
    private ChannelFuture attempt() {
        attempts.incrementAndGet();
        EmbeddedChannel channel = new EmbeddedChannel();
        ChannelFuture f = accepting.get() ? channel.newSucceededFuture()
                : channel.newFailedFuture(new ConnectException("connect(..) failed: Connection refused"));
        f.addListener(watch.get());
        return f;
    }

    @Test
    void readyOnlyWhileTheUpstreamAcceptsAndItsReturnIsSeenWithoutTraffic() throws Exception {
        watch.set(new UpstreamWatch("upstream 127.0.0.1:1", Duration.ofSeconds(45), this::attempt, loop));
        ReadyState ready = new ReadyState(ChildGate.alwaysOpen()::isOpen);
        ready.watchUpstream(watch.get()::refusal);
        assertThat(ready.reason()).isEqualTo("upstream 127.0.0.1:1 not reached yet");

        watch.get().start();
        assertThat(ready.reason()).isEqualTo("upstream 127.0.0.1:1 does not accept connections (connection refused)");
        assertThat(ready.isReady()).isFalse();

        accepting.set(true); // probed every second while refusing: no request is needed to see it back
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ready.reason() != null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ready.reason()).isNull();
        int probes = attempts.get();
        Thread.sleep(UpstreamWatch.PROBE_MILLIS + 300);
        // Accepting, the chain of probes has stopped: only /readyz (reason()) starts one.
        assertThat(attempts.get()).isEqualTo(probes);

        accepting.set(false); // gone while nothing came: the probe /readyz started sees it
        assertThat(ready.isReady()).isTrue();
        assertThat(ready.reason()).contains("does not accept connections");
    }
}
