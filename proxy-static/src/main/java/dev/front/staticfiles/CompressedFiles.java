package dev.front.staticfiles;

import dev.front.core.compress.BodyEncoder;
import dev.front.core.compress.Coding;
import dev.front.core.compress.CompressibleTypes;
import dev.front.core.compress.Compressors;
import dev.front.core.compress.ResponseEncoding;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.AsciiString;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code --compress-responses} for files without a precompressed sidecar: each file is compressed once per coding,
 * on the file-system executor, and the result kept here, bounded by bytes (least recently used out first). An entry
 * is valid only for the file it was made from: it records the file's entity tag (size and modification time), and a
 * file that changed is compressed anew. Files larger than a quarter of the bound are sent as they are (sendfile)
 * rather than churn the cache. Ranges are always served from the file itself. Thread-safe: the event loops read,
 * the file-system threads fill.
 */
final class CompressedFiles {

    /** The bound when none is given: the compressed text assets of a typical application fit many times over. */
    static final long DEFAULT_CAPACITY = 32L * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    /**
     * One compressed representation.
     *
     * @param source the entity tag of the file it was made from
     * @param etag   its own entity tag: the file's with the coding appended, like a sidecar's
     */
    record Entry(String source, Coding coding, byte[] bytes, String etag, AsciiString etagValue,
                 AsciiString lengthValue) {

        long size() {
            return bytes.length;
        }
    }

    private record Key(Path path, Coding coding) {
    }

    private final Compressors compressors;
    private final long capacity;
    private final long largestFile;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    /** Compressions under way: a second request for the same file waits for the first instead of doing it again. */
    private final Map<Key, CompletableFuture<Entry>> pending = new HashMap<>();
    private long bytes;
    private long compressions;

    CompressedFiles(Compressors compressors, long capacity) {
        this.compressors = compressors;
        this.capacity = capacity;
        this.largestFile = capacity / 4;
    }

    /**
     * Whether this file is served compressed to a client that accepts it: a compressible type, and a size from
     * {@link ResponseEncoding#MIN_LENGTH} to a quarter of the cache.
     */
    boolean eligible(NameHeaders names, OpenFile file) {
        return file.coding() == null && file.size() >= ResponseEncoding.MIN_LENGTH && file.size() <= largestFile
                && CompressibleTypes.compressible(names.contentType());
    }

    Set<Coding> codings() {
        return compressors.available();
    }

    /** The kept representation of {@code file} in {@code coding}, or {@code null}; never blocks. */
    synchronized Entry cached(Path path, Coding coding, OpenFile file) {
        Entry entry = entries.get(new Key(path, coding));
        return entry != null && entry.source().equals(file.etag()) ? entry : null;
    }

    /** How many times a file was compressed since the start (a file served from here again costs none). */
    synchronized long compressions() {
        return compressions;
    }

    /**
     * The representation of {@code file} in {@code coding}: kept, or made now. Blocks (reads and compresses the
     * whole file), so only on the file-system executor.
     */
    Entry compressed(Path path, Coding coding, OpenFile file) throws IOException {
        Key key = new Key(path, coding);
        CompletableFuture<Entry> mine;
        CompletableFuture<Entry> theirs;
        synchronized (this) {
            Entry entry = entries.get(key);
            if (entry != null && entry.source().equals(file.etag())) {
                return entry;
            }
            theirs = pending.get(key);
            mine = theirs == null ? new CompletableFuture<>() : null;
            if (mine != null) {
                pending.put(key, mine);
            }
        }
        if (theirs != null) {
            Entry entry = await(theirs);
            if (entry.source().equals(file.etag())) {
                return entry;
            }
            return compress(file, coding); // theirs was of another version of the file: this one is not kept
        }
        try {
            Entry entry = compress(file, coding);
            synchronized (this) {
                compressions++;
                put(key, entry);
            }
            mine.complete(entry);
            return entry;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            synchronized (this) {
                pending.remove(key);
            }
        }
    }

    private static Entry await(CompletableFuture<Entry> future) throws IOException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void put(Key key, Entry entry) {
        Entry previous = entries.put(key, entry);
        if (previous != null) {
            bytes -= previous.size();
        }
        bytes += entry.size();
        Iterator<Entry> oldest = entries.values().iterator();
        while (bytes > capacity && oldest.hasNext()) {
            bytes -= oldest.next().size();
            oldest.remove();
        }
    }

    /** Reads the whole file in chunks at explicit offsets (the channel is shared) through the encoder. */
    private Entry compress(OpenFile file, Coding coding) throws IOException {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.heapBuffer();
        try (BodyEncoder encoder = compressors.newBody(coding, Compressors.Effort.STORE)) {
            long position = 0;
            while (position < file.size()) {
                int count = (int) Math.min(CHUNK, file.size() - position);
                ByteBuf chunk = PooledByteBufAllocator.DEFAULT.heapBuffer(count);
                try {
                    while (chunk.isWritable()) {
                        if (chunk.writeBytes(file.channel(), position + chunk.writerIndex(), chunk.writableBytes()) < 0) {
                            throw new EOFException("the file is shorter than when it was opened");
                        }
                    }
                } catch (IOException e) {
                    chunk.release();
                    throw e;
                }
                position += count;
                append(out, encoder.encode(chunk));
            }
            append(out, encoder.finish());
            byte[] compressed = new byte[out.readableBytes()];
            out.readBytes(compressed);
            String source = file.etag();
            String etag = source.substring(0, source.length() - 1) + "-" + coding.token() + "\"";
            return new Entry(source, coding, compressed, etag, new AsciiString(etag),
                    AsciiString.of(Integer.toString(compressed.length)));
        } finally {
            out.release();
        }
    }

    private static void append(ByteBuf out, ByteBuf piece) {
        try {
            out.writeBytes(piece);
        } finally {
            piece.release();
        }
    }
}
