package dev.front.core.compress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * One body through one of Netty's encoders, piece by piece. Every piece's output can be decoded by the client at once
 * (Netty's gzip encoder ends each piece with a sync flush, brotli's flushes, zstd's ends a frame), which is what keeps
 * a streamed response streaming. Not thread-safe: one body, one thread at a time.
 */
public final class BodyEncoder implements AutoCloseable {

    private final EmbeddedChannel channel;
    private boolean closed;

    BodyEncoder(ChannelHandler encoder) {
        this.channel = new EmbeddedChannel(encoder);
    }

    /** Compresses {@code data} (released here) and returns what the encoder produced for it; maybe empty. */
    public ByteBuf encode(ByteBuf data) {
        if (!data.isReadable()) {
            data.release();
            return Unpooled.EMPTY_BUFFER;
        }
        channel.writeOutbound(data);
        return drain();
    }

    /** Ends the body: what the encoder still holds and the coding's trailer. The encoder is done afterwards. */
    public ByteBuf finish() {
        closed = true;
        channel.finish();
        return drain();
    }

    private ByteBuf drain() {
        ByteBuf first = channel.readOutbound();
        if (first == null) {
            return Unpooled.EMPTY_BUFFER;
        }
        ByteBuf next = channel.readOutbound();
        if (next == null) {
            return first;
        }
        CompositeByteBuf all = channel.alloc().compositeBuffer();
        all.addComponent(true, first);
        do {
            all.addComponent(true, next);
        } while ((next = channel.readOutbound()) != null);
        return all;
    }

    /** Frees the encoder when the body ended early; idempotent, and nothing to do after {@link #finish}. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            channel.finishAndReleaseAll();
        }
    }
}
