package dev.front.staticfiles;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * An {@link OpenFileRegion} in a wrapper that is not a {@code DefaultFileRegion}, so that the io_uring transport
 * copies its bytes through a buffer instead of splicing them (see {@link ResponseWriter#spliceable}).
 */
final class CopiedFileRegion extends AbstractReferenceCounted implements FileRegion {

    private final OpenFileRegion region;

    /** Takes over {@code region}. */
    CopiedFileRegion(OpenFileRegion region) {
        this.region = region;
    }

    @Override
    public long position() {
        return region.position();
    }

    @Override
    @Deprecated
    public long transfered() {
        return region.transferred();
    }

    @Override
    public long transferred() {
        return region.transferred();
    }

    @Override
    public long count() {
        return region.count();
    }

    @Override
    public long transferTo(WritableByteChannel target, long position) throws IOException {
        return region.transferTo(target, position);
    }

    @Override
    public CopiedFileRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public CopiedFileRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public CopiedFileRegion touch() {
        return this;
    }

    @Override
    public CopiedFileRegion touch(Object hint) {
        return this;
    }

    @Override
    protected void deallocate() {
        region.release();
    }
}
