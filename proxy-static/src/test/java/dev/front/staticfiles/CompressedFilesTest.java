package dev.front.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.core.compress.Coding;
import dev.front.core.compress.Compressors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressedFilesTest {

    private static final NameHeaders JS = NameHeaders.of("app.js");

    @TempDir
    Path dir;

    /** Hex digits: about half their size compressed, so that sizes in the cache are predictable enough. */
    private static byte[] hex(long seed, int size) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(size);
        while (text.length() < size) {
            text.append(Long.toHexString(random.nextLong()));
        }
        return text.substring(0, size).getBytes();
    }

    private OpenFile write(String name, byte[] content) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, content);
        return OpenFile.open(path, null);
    }

    private static byte[] gunzip(byte[] compressed) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(compressed))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    @Test
    void aFileIsCompressedOnceAndAgainOnlyWhenItChanges() throws Exception {
        CompressedFiles files = new CompressedFiles(Compressors.load(), 1 << 20);
        byte[] first = hex(1, 20_000);
        OpenFile file = write("app.js", first);
        Path path = dir.resolve("app.js");
        assertThat(files.eligible(JS, file)).isTrue();
        assertThat(files.cached(path, Coding.GZIP, file)).isNull();
        CompressedFiles.Entry entry = files.compressed(path, Coding.GZIP, file);
        assertThat(gunzip(entry.bytes())).isEqualTo(first);
        assertThat(entry.etag()).isEqualTo(file.etag().replaceFirst("\"$", "-gzip\""));
        assertThat(files.cached(path, Coding.GZIP, file)).isSameAs(entry);
        assertThat(files.compressed(path, Coding.GZIP, file)).isSameAs(entry);
        assertThat(files.compressions()).isEqualTo(1);
        file.release();

        byte[] second = hex(2, 20_001);
        OpenFile changed = write("app.js", second);
        assertThat(files.cached(path, Coding.GZIP, changed)).isNull();
        assertThat(gunzip(files.compressed(path, Coding.GZIP, changed).bytes())).isEqualTo(second);
        assertThat(files.compressions()).isEqualTo(2);
        changed.release();
    }

    @Test
    void theCacheIsBoundedByBytesLeastRecentlyUsedOutFirst() throws Exception {
        CompressedFiles files = new CompressedFiles(Compressors.load(), 64 * 1024);
        OpenFile[] open = new OpenFile[8];
        for (int i = 0; i < open.length; i++) {
            open[i] = write("f" + i + ".js", hex(i, 16 * 1024)); // about 9 KiB each compressed: not all fit
            files.compressed(dir.resolve("f" + i + ".js"), Coding.GZIP, open[i]);
            files.cached(dir.resolve("f0.js"), Coding.GZIP, open[0]); // f0 stays the most recently used
        }
        long kept = 0;
        for (int i = 0; i < open.length; i++) {
            CompressedFiles.Entry entry = files.cached(dir.resolve("f" + i + ".js"), Coding.GZIP, open[i]);
            kept += entry == null ? 0 : entry.size();
        }
        assertThat(kept).isPositive().isLessThanOrEqualTo(64 * 1024);
        assertThat(files.cached(dir.resolve("f0.js"), Coding.GZIP, open[0])).isNotNull();
        assertThat(files.cached(dir.resolve("f1.js"), Coding.GZIP, open[1])).isNull();
        assertThat(files.cached(dir.resolve("f7.js"), Coding.GZIP, open[7])).isNotNull();
        for (OpenFile file : open) {
            file.release();
        }
    }

    @Test
    void tooSmallTooLargeAndOtherTypesAreNotEligible() throws Exception {
        CompressedFiles files = new CompressedFiles(Compressors.load(), 64 * 1024);
        OpenFile small = write("small.js", hex(1, 1023));
        OpenFile large = write("large.js", hex(1, 16 * 1024 + 1));
        OpenFile exact = write("exact.js", hex(1, 16 * 1024));
        assertThat(files.eligible(JS, small)).isFalse();
        assertThat(files.eligible(JS, large)).isFalse();
        assertThat(files.eligible(JS, exact)).isTrue();
        assertThat(files.eligible(NameHeaders.of("logo.png"), exact)).isFalse();
        small.release();
        large.release();
        exact.release();
    }

    @Test
    void requestsForAFileBeingCompressedWaitForThatOneCompression() throws Exception {
        CompressedFiles files = new CompressedFiles(Compressors.load(), 8 << 20);
        OpenFile file = write("big.js", hex(3, 2 << 20));
        Path path = dir.resolve("big.js");
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            CompletableFuture<?>[] all = new CompletableFuture<?>[4];
            for (int i = 0; i < all.length; i++) {
                all[i] = CompletableFuture.supplyAsync(() -> {
                    try {
                        return files.compressed(path, Coding.BR, file);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, threads);
            }
            CompletableFuture.allOf(all).get();
            assertThat(files.compressions()).isEqualTo(1);
            assertThat(all[0].get()).isSameAs(all[3].get());
        } finally {
            threads.shutdownNow();
            file.release();
        }
    }
}
