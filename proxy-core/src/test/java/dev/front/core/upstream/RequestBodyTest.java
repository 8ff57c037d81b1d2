package dev.front.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RequestBodyTest {

    @TempDir
    Path dir;
    private final EventExecutor executor = new DefaultEventExecutor();

    @AfterEach
    void stop() {
        executor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Appends {@code data} in pieces the way the exchange does: the next piece only after the last is stored. */
    private RequestBody fill(byte[] data, int piece, int threshold) throws Exception {
        RequestBody body = new RequestBody(PooledByteBufAllocator.DEFAULT, executor, threshold, dir);
        for (int at = 0; at < data.length; at += piece) {
            ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer();
            buffer.writeBytes(data, at, Math.min(piece, data.length - at));
            CompletableFuture<Void> stored = new CompletableFuture<>();
            executor.execute(() -> body.append(buffer, () -> stored.complete(null), stored::completeExceptionally));
            stored.get(10, TimeUnit.SECONDS);
        }
        executor.submit(body::complete).get();
        return body;
    }

    private static byte[] bytes(int n) {
        byte[] data = new byte[n];
        new Random(n).nextBytes(data);
        return data;
    }

    @Test
    void smallBodyStaysInMemory() throws Exception {
        byte[] data = bytes(1000);
        RequestBody body = fill(data, 300, 64 * 1024);
        assertThat(body.inFile()).isFalse();
        assertThat(body.length()).isEqualTo(1000);
        ByteBuf content = (ByteBuf) body.content(new EmbeddedChannel());
        byte[] read = new byte[content.readableBytes()];
        content.readBytes(read);
        content.release();
        assertThat(read).isEqualTo(data);
        body.release();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void largerBodySpillsToATempFileInOrderAndTheFileIsDeleted() throws Exception {
        byte[] data = bytes(1_000_000);
        RequestBody body = fill(data, 10_000, 64 * 1024);
        assertThat(body.inFile()).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(1);
        }
        // Sent twice, as a retry would: each call gives a fresh region over the whole file.
        for (int i = 0; i < 2; i++) {
            DefaultFileRegion region = (DefaultFileRegion) body.content(new EmbeddedChannel());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            var sink = Channels.newChannel(out);
            while (region.transferred() < region.count()) {
                region.transferTo(sink, region.transferred());
            }
            region.release();
            assertThat(out.toByteArray()).isEqualTo(data);
        }
        body.release();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void emptyBodyIsAnEmptyBuffer() throws Exception {
        RequestBody body = new RequestBody(PooledByteBufAllocator.DEFAULT, executor, 10, dir);
        ByteBuf content = (ByteBuf) body.content(new EmbeddedChannel());
        assertThat(content.readableBytes()).isZero();
        content.release();
        body.release();
        assertThat(Unpooled.EMPTY_BUFFER.readableBytes()).isZero();
    }
}
