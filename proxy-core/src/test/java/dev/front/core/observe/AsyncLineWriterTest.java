package dev.front.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncLineWriterTest {

    @Test
    void linesArriveInOrderAndCloseWritesTheRest() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsyncLineWriter writer = new AsyncLineWriter(out, 10_000, () -> {
            throw new AssertionError("nothing may be dropped");
        });
        for (int i = 0; i < 5000; i++) {
            writer.write("line " + i);
        }
        writer.close();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(5000).startsWith("line 0").endsWith("line 4999");
    }

    @Test
    void aStalledStdoutDropsAndCountsLinesInsteadOfBlockingTheCaller() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stalled = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream blocked = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                stalled.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.write(b, off, len);
            }
        };
        AtomicInteger dropped = new AtomicInteger();
        AsyncLineWriter writer = new AsyncLineWriter(blocked, 4, dropped::incrementAndGet);
        writer.write("x".repeat(70_000)); // bigger than the writer's buffer: its write reaches the stream and stalls
        stalled.await();
        for (int i = 0; i < 10; i++) {
            writer.write("queued " + i); // returns at once although nothing can be written
        }
        assertThat(dropped.get()).isEqualTo(6);
        release.countDown();
        writer.close();
        assertThat(written.toString(StandardCharsets.UTF_8).lines()).hasSize(5).endsWith("queued 3");
    }
}
