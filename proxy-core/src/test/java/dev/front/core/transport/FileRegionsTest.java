package dev.front.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.config.IoTransport;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringSocketChannel;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRegionsTest {

    private static final long EDGE = Integer.MAX_VALUE - 4L; // a mark that straddles the last int offset
    private static final String MARK = "across-2GiB";

    @TempDir
    Path dir;

    @Test
    void onIoUringARegionPastTwoGibibytesIsCopiedWithTheRightBytesAndOneBelowStaysZeroCopy() throws Exception {
        Assumptions.assumeTrue(IoUring.isAvailable(), "io_uring is not available here");
        Path sparse = sparseFile();
        EventLoopGroup group = Transport.of(IoTransport.IO_URING).newGroup(1, "test-io");
        try {
            IoUringSocketChannel channel = new IoUringSocketChannel();
            group.next().register(channel).sync();
            try {
                FileRegion below = FileRegions.sendable(channel, new DefaultFileRegion(sparse.toFile(), 0, 1024));
                assertThat(below).isInstanceOf(DefaultFileRegion.class);
                below.release();

                FileRegion across = FileRegions.sendable(channel,
                        new DefaultFileRegion(sparse.toFile(), EDGE, MARK.length()));
                assertThat(across).isNotInstanceOf(DefaultFileRegion.class);
                assertThat(read(across)).isEqualTo(MARK);
                assertThat(across.release()).isTrue();
            } finally {
                channel.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void onOtherTransportsEveryRegionStaysZeroCopy() throws Exception {
        Path sparse = sparseFile();
        DefaultFileRegion region = new DefaultFileRegion(sparse.toFile(), EDGE, MARK.length());
        assertThat(FileRegions.sendable(new EmbeddedChannel(), region)).isSameAs(region);
        region.release();
    }

    private Path sparseFile() throws Exception {
        Path file = dir.resolve("sparse.bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(EDGE + 4096);
            raf.seek(EDGE);
            raf.write(MARK.getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(Files.size(file)).isGreaterThan(Integer.MAX_VALUE);
        return file;
    }

    private static String read(FileRegion region) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var target = Channels.newChannel(out);
        while (region.transferred() < region.count()) {
            region.transferTo(target, region.transferred());
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
