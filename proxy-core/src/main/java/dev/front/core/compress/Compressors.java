package dev.front.core.compress;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.compression.Brotli;
import io.netty.handler.codec.compression.BrotliEncoder;
import io.netty.handler.codec.compression.BrotliMode;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.codec.compression.Zstd;
import io.netty.handler.codec.compression.ZstdEncoder;
import io.netty.handler.codec.compression.ZstdOptions;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The codings this JVM can produce, and their encoders (Netty's). gzip is the JDK's zlib and always works; brotli and
 * zstd are native libraries (brotli4j, zstd-jni) shipped in the jar for Linux x86_64 and aarch64, and where one
 * cannot load (another platform, a noexec temp directory) the front says so once and offers the others.
 */
public final class Compressors {

    /**
     * How hard to work. {@link #STREAM} for bodies compressed as they pass (each response pays it): zlib's default 6
     * (Apache mod_deflate's and so mod_wsgi-express's), brotli 4 and zstd 3, Netty's defaults, both faster than gzip 6
     * and smaller, with a 1 MiB brotli window to bound the memory of each response in flight. {@link #STORE} for files
     * compressed once and kept: gzip 9, brotli 9 with its default 4 MiB window, zstd 12.
     */
    public enum Effort {
        STREAM(6, 4, 20, 3),
        STORE(9, 9, 22, 12);

        private final int gzip;
        private final int brotli;
        private final int brotliWindow;
        private final int zstd;

        Effort(int gzip, int brotli, int brotliWindow, int zstd) {
            this.gzip = gzip;
            this.brotli = brotli;
            this.brotliWindow = brotliWindow;
            this.zstd = zstd;
        }
    }

    /** Probed once per JVM: the answer cannot change, and the warnings are said once. */
    private static Compressors loaded;

    private final Set<Coding> available;

    private Compressors(Set<Coding> available) {
        this.available = Collections.unmodifiableSet(available);
    }

    /** Probes the native libraries the first time; logs one warning line for each that cannot load. */
    public static synchronized Compressors load() {
        if (loaded == null) {
            loaded = probe(LoggerFactory.getLogger("front"));
        }
        return loaded;
    }

    private static Compressors probe(Logger log) {
        Set<Coding> available = EnumSet.of(Coding.GZIP);
        if (Brotli.isAvailable()) {
            available.add(Coding.BR);
        } else {
            log.warn("--compress-responses: brotli is not offered: its native library cannot load here ({})",
                    oneLine(Brotli.cause()));
        }
        if (Zstd.isAvailable()) {
            available.add(Coding.ZSTD);
        } else {
            log.warn("--compress-responses: zstd is not offered: its native library cannot load here ({})",
                    oneLine(Zstd.cause()));
        }
        return new Compressors(available);
    }

    /** Only these codings, for tests. */
    static Compressors of(Set<Coding> available) {
        return new Compressors(EnumSet.copyOf(available));
    }

    private static String oneLine(Throwable cause) {
        if (cause == null) {
            return "unknown cause";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString().replace('\n', ' ');
    }

    /** The codings that can be sent. */
    public Set<Coding> available() {
        return available;
    }

    /** A new encoder for one body; {@code coding} must be {@link #available}. */
    ChannelHandler encoder(Coding coding, Effort effort) {
        return switch (coding) {
            case GZIP -> ZlibCodecFactory.newZlibEncoder(ZlibWrapper.GZIP, effort.gzip, 15, 8);
            case BR -> new BrotliEncoder(StandardCompressionOptions.brotli(effort.brotli, effort.brotliWindow,
                    BrotliMode.TEXT).parameters(),
                    false);
            case ZSTD -> {
                ZstdOptions defaults = StandardCompressionOptions.zstd();
                yield new ZstdEncoder(effort.zstd, defaults.blockSize(), defaults.maxEncodeSize());
            }
        };
    }

    /** A new encoder for one body, that the caller closes ({@link BodyEncoder#close}). */
    public BodyEncoder newBody(Coding coding, Effort effort) {
        return new BodyEncoder(encoder(coding, effort));
    }
}
