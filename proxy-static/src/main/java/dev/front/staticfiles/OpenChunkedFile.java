package dev.front.staticfiles;

import io.netty.handler.stream.ChunkedNioFile;

import java.io.IOException;

/** The chunked fallback over a shared {@link OpenFile}: closing releases a reference instead of the channel. */
final class OpenChunkedFile extends ChunkedNioFile {

    private final OpenFile file;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Takes over one reference to {@code file}. */
    OpenChunkedFile(OpenFile file, long position, long count, int chunkSize) throws IOException {
        super(file.channel(), position, count, chunkSize);
        this.file = file;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            file.release();
        }
    }
}
