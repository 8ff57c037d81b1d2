package dev.front.core.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.DefaultEventExecutor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LazyDeadlineTest {

    private static final long MS = 1_000_000;

    private final DefaultEventExecutor loop = new DefaultEventExecutor();
    private final AtomicInteger fired = new AtomicInteger();
    private final AtomicLong firedAt = new AtomicLong();
    private final CountDownLatch firedOnce = new CountDownLatch(1);
    private final LazyDeadline deadline = new LazyDeadline(loop, () -> {
        fired.incrementAndGet();
        firedAt.set(System.nanoTime());
        firedOnce.countDown();
    });

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    private void onLoop(Runnable task) throws Exception {
        loop.submit(task).get();
    }

    @Test
    void setAgainMovesTheDeadlineOnAndItFiresOnceAfterTheLastOne() throws Exception {
        onLoop(() -> deadline.set(100 * MS));
        Thread.sleep(60);
        long lastSet = System.nanoTime();
        onLoop(() -> deadline.set(100 * MS));
        assertThat(firedOnce.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(firedAt.get() - lastSet).isGreaterThanOrEqualTo(100 * MS);
        Thread.sleep(150);
        assertThat(fired).hasValue(1);
        onLoop(() -> assertThat(deadline.isSet()).isFalse());
    }

    @Test
    void aShorterTimeoutThanThePendingCheckStillFiresOnTime() throws Exception {
        onLoop(() -> deadline.set(10_000 * MS));
        onLoop(() -> deadline.set(50 * MS));
        assertThat(firedOnce.await(2, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void clearedOrCancelledItNeverFires() throws Exception {
        onLoop(() -> {
            deadline.set(30 * MS);
            deadline.clear();
        });
        Thread.sleep(120);
        assertThat(fired).hasValue(0);
        onLoop(() -> {
            deadline.set(30 * MS);
            deadline.cancel();
        });
        Thread.sleep(120);
        assertThat(fired).hasValue(0);
    }
}
