package dev.front.core.h2;

import dev.front.core.transport.FileRegions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * An HTTP/2 stream cannot take a {@link FileRegion}: its bytes go out in DATA frames, which the connection frames and
 * flow-controls, so sendfile has nothing to hand them to. A region written on a stream (a spooled response, a file
 * the static service sends) is read here in pieces of {@value #CHUNK} bytes as the stream can take them: the
 * {@link ChunkedWriteHandler} in front of this handler asks for each piece when the stream is writable, so a file
 * is never in memory whole. The region is released once read or when the stream ends first.
 */
final class FileRegionChunks extends ChannelOutboundHandlerAdapter {

    static final int CHUNK = 16 * 1024; // one DATA frame at the default SETTINGS_MAX_FRAME_SIZE

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof FileRegion region) {
            try {
                FileRegions.open(region); // its temp file may be deleted before the last piece is read
            } catch (IOException e) {
                region.release();
                promise.setFailure(e);
                return;
            }
            ctx.write(new RegionInput(region), promise);
            return;
        }
        ctx.write(msg, promise);
    }

    /** The pieces of one region, as HTTP content. */
    static final class RegionInput implements ChunkedInput<HttpContent> {

        private final FileRegion region;
        private boolean closed;

        RegionInput(FileRegion region) {
            this.region = region;
        }

        @Override
        public boolean isEndOfInput() {
            return region.transferred() >= region.count();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                region.release();
            }
        }

        @Deprecated
        @Override
        public HttpContent readChunk(ChannelHandlerContext ctx) throws Exception {
            return readChunk(ctx.alloc());
        }

        @Override
        public HttpContent readChunk(ByteBufAllocator allocator) throws Exception {
            long left = region.count() - region.transferred();
            ByteBuf piece = allocator.buffer((int) Math.min(CHUNK, Math.max(left, 0)));
            try {
                while (piece.isWritable() && region.transferred() < region.count()) {
                    // transferTo counts what it moved in transferred(); a file shorter than the region throws
                    if (region.transferTo(new Into(piece), region.transferred()) <= 0) {
                        throw new java.io.EOFException("the file is shorter than the response says");
                    }
                }
            } catch (Exception e) {
                piece.release();
                throw e;
            }
            return new DefaultHttpContent(piece);
        }

        @Override
        public long length() {
            return region.count();
        }

        @Override
        public long progress() {
            return region.transferred();
        }
    }

    /** A channel that writes into a buffer and takes no more than it has room for. */
    private record Into(ByteBuf target) implements WritableByteChannel {
        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(src.remaining(), target.writableBytes());
            ByteBuffer part = src.slice(src.position(), n);
            target.writeBytes(part);
            src.position(src.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
