package dev.front.core.transport;

import io.netty.channel.Channel;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.AbstractReferenceCounted;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * File regions that are safe to write on any transport. Netty 4.2.18's io_uring transport splices a
 * {@link DefaultFileRegion} with its file offset and length cast to {@code int}: bytes past 2 GiB would come from the
 * wrong place of the file. There a region reaching that far goes out in a wrapper that is not a
 * {@code DefaultFileRegion}, which the transport copies through a buffer instead. Smaller regions, and every region
 * on epoll (sendfile takes 64-bit offsets), stay zero-copy.
 */
public final class FileRegions {

    private FileRegions() {
    }

    /** {@code region} as it can be written on {@code channel}; takes over the caller's reference. */
    public static FileRegion sendable(Channel channel, DefaultFileRegion region) {
        boolean ioUring = channel instanceof IoUringSocketChannel || channel instanceof IoUringDomainSocketChannel;
        return ioUring && region.position() + region.count() > Integer.MAX_VALUE ? new Copied(region) : region;
    }

    /**
     * Opens the file of {@code region} now rather than when it is first read: a region that is read later, in
     * pieces (on an HTTP/2 stream), must still have its bytes when the temp file behind it is deleted meanwhile, as
     * a region the transport sends at once does.
     */
    public static void open(FileRegion region) throws IOException {
        FileRegion inner = region instanceof Copied copied ? copied.region : region;
        if (inner instanceof DefaultFileRegion file) {
            file.open();
        }
    }

    /** Delegates everything to a region the transport must not recognise as a {@code DefaultFileRegion}. */
    private static final class Copied extends AbstractReferenceCounted implements FileRegion {

        private final FileRegion region;

        Copied(FileRegion region) {
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
        public Copied retain() {
            super.retain();
            return this;
        }

        @Override
        public Copied retain(int increment) {
            super.retain(increment);
            return this;
        }

        @Override
        public Copied touch() {
            return this;
        }

        @Override
        public Copied touch(Object hint) {
            return this;
        }

        @Override
        protected void deallocate() {
            region.release();
        }
    }
}
