package dev.front.staticfiles;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;

import java.io.IOException;

/**
 * Writes a plan on the channel's event loop. File slices go out as {@link DefaultFileRegion}s, which the native
 * transports send with sendfile(2) (epoll) or splice(2) (io_uring): the bytes never enter the JVM. Only when the
 * pipeline encrypts (an {@link SslHandler}, which needs the bytes) are they read in chunks instead, through a
 * {@link ChunkedWriteHandler} added in front of the caller for that purpose.
 */
final class ResponseWriter {

    static final String CHUNKED_WRITER_NAME = "static-chunked-writer";
    private static final int CHUNK_SIZE = 64 * 1024;

    private ResponseWriter() {
    }

    /** Writes the whole response and returns the future of its last write; a response cut short closes the channel. */
    static ChannelFuture write(ChannelHandlerContext ctx, ResponsePlan plan) {
        boolean zeroCopy = zeroCopyPossible(ctx.pipeline());
        if (!zeroCopy && !plan.body().isEmpty() && ctx.pipeline().get(ChunkedWriteHandler.class) == null) {
            ctx.pipeline().addBefore(ctx.name(), CHUNKED_WRITER_NAME, new ChunkedWriteHandler());
        }
        var parts = plan.body();
        boolean corked = zeroCopy && plan.sendsFile() && cork(ctx, true);
        ctx.write(plan.head());
        for (int i = 0; i < parts.size(); i++) {
            switch (parts.get(i)) {
                case ResponsePlan.Bytes bytes -> ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes.bytes())));
                case ResponsePlan.FileSlice slice when zeroCopy -> writeRegion(ctx, slice);
                case ResponsePlan.FileSlice slice -> {
                    try {
                        ctx.write(new OpenChunkedFile(slice.file(), slice.position(), slice.count(), CHUNK_SIZE));
                    } catch (IOException e) {
                        // The head is out with a Content-Length this body can no longer meet: only closing keeps
                        // the client from waiting for bytes that will never come.
                        new ResponsePlan(plan.head(), parts.subList(i, parts.size())).discard();
                        return ctx.close();
                    }
                }
            }
        }
        ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (corked) {
            cork(ctx, false); // pushes out what the flush left in a partial segment
        }
        return last;
    }

    private static void writeRegion(ChannelHandlerContext ctx, ResponsePlan.FileSlice slice) {
        long spliced = spliceable(ctx, slice);
        if (spliced == slice.count()) {
            ctx.write(new OpenFileRegion(slice.file(), slice.position(), slice.count()));
            return;
        }
        if (spliced > 0) {
            ctx.write(new OpenFileRegion(slice.file().retain(), slice.position(), spliced));
        }
        ctx.write(new CopiedFileRegion(new OpenFileRegion(slice.file(), slice.position() + spliced,
                slice.count() - spliced)));
    }

    /**
     * How much of {@code slice}, from its start, can go out as a {@code DefaultFileRegion}. All of it, except on
     * io_uring: Netty 4.2.18 splices there with the file offset and length cast to {@code int}, so bytes past 2 GiB
     * would come from the wrong place; those are copied through a buffer instead.
     */
    static long spliceable(ChannelHandlerContext ctx, ResponsePlan.FileSlice slice) {
        if (!(ctx.channel() instanceof IoUringSocketChannel)) {
            return slice.count();
        }
        return Math.clamp(Integer.MAX_VALUE - slice.position(), 0, slice.count());
    }

    /**
     * TCP_CORK around a head written with writev and a body sent with sendfile (a body of bytes alone goes out with
     * the head in one write and needs none): without it the head leaves as a
     * segment of its own (TCP_NODELAY is on), so a small file costs two segments, and two wake-ups of the client,
     * instead of one; nginx's {@code tcp_nopush} does the same. Only the native transports have the option; a NIO
     * channel is left as it is.
     */
    private static boolean cork(ChannelHandlerContext ctx, boolean on) {
        try {
            var config = ctx.channel().config();
            return config.setOption(EpollChannelOption.TCP_CORK, on) || config.setOption(IoUringChannelOption.TCP_CORK, on);
        } catch (ChannelException e) {
            return false; // the socket is already closed: nothing to hold back or push
        }
    }

    static boolean zeroCopyPossible(ChannelPipeline pipeline) {
        return pipeline.get(SslHandler.class) == null;
    }
}
