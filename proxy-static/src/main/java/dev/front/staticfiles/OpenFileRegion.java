package dev.front.staticfiles;

import io.netty.channel.DefaultFileRegion;

/**
 * A {@link DefaultFileRegion} (so the native transports send it without copying) over a shared {@link OpenFile}: when the region
 * is done it releases its reference instead of closing the channel other responses may still be sending from.
 */
final class OpenFileRegion extends DefaultFileRegion {

    private final OpenFile file;

    /** Takes over one reference to {@code file}. */
    OpenFileRegion(OpenFile file, long position, long count) {
        super(file.channel(), position, count);
        this.file = file;
    }

    @Override
    protected void deallocate() {
        file.release();
    }
}
