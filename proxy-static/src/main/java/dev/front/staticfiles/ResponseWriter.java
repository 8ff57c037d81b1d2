package dev.front.staticfiles;

import dev.front.core.FileRegions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;

import java.io.EOFException;
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
    /** Slices up to this size are read rather than spliced on io_uring (see {@link #read}). */
    private static final int READ_AT_MOST = 64 * 1024;

    private ResponseWriter() {
    }

    /** Writes the whole response and returns the future of its last write; a response cut short closes the channel. */
    static ChannelFuture write(ChannelHandlerContext ctx, ResponsePlan plan) {
        boolean zeroCopy = zeroCopyPossible(ctx.pipeline());
        if (!zeroCopy && !plan.body().isEmpty() && ctx.pipeline().get(ChunkedWriteHandler.class) == null) {
            ctx.pipeline().addBefore(ctx.name(), CHUNKED_WRITER_NAME, new ChunkedWriteHandler());
        }
        var parts = plan.body();
        boolean ioUring = ctx.channel() instanceof IoUringSocketChannel;
        boolean corked = zeroCopy && !ioUring && plan.sendsFile() && cork(ctx, true);
        ctx.write(plan.head());
        for (int i = 0; i < parts.size(); i++) {
            switch (parts.get(i)) {
                case ResponsePlan.Bytes bytes -> ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes.bytes())));
                case ResponsePlan.FileSlice slice when zeroCopy && !(ioUring && slice.count() <= READ_AT_MOST) ->
                        ctx.write(FileRegions.sendable(ctx.channel(),
                                new OpenFileRegion(slice.file(), slice.position(), slice.count())));
                case ResponsePlan.FileSlice slice -> {
                    try {
                        ctx.write(zeroCopy ? new DefaultHttpContent(read(ctx, slice))
                                : new OpenChunkedFile(slice.file(), slice.position(), slice.count(), CHUNK_SIZE));
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

    /**
     * Reads a small slice into a buffer that goes out with the head in one write, and releases the slice's file.
     * On io_uring a {@code DefaultFileRegion} is spliced through a pipe made for it: a pipe, two splices and two
     * trips through the ring for every file, which for a small one costs far more than this one read (it halved the
     * requests per second of 1 KiB files).
     */
    private static ByteBuf read(ChannelHandlerContext ctx, ResponsePlan.FileSlice slice)
            throws IOException {
        ByteBuf data = ctx.alloc().ioBuffer((int) slice.count());
        try {
            while (data.isWritable()) {
                if (data.writeBytes(slice.file().channel(), slice.position() + data.writerIndex(),
                        data.writableBytes()) < 0) {
                    throw new EOFException("the file is shorter than when it was opened");
                }
            }
        } catch (IOException e) {
            data.release();
            throw e;
        }
        slice.file().release();
        return data;
    }

    /**
     * TCP_CORK around a head written with writev and a body sent with sendfile (a body of bytes alone goes out with
     * the head in one write and needs none): without it the head leaves as a segment of its own (TCP_NODELAY is on),
     * so a small file costs two segments, and two wake-ups of the client, instead of one; nginx's
     * {@code tcp_nopush} does the same. Only on epoll: io_uring submits the writes after this method returns, when a
     * cork set and cleared here would hold nothing back; NIO has no such option.
     */
    private static boolean cork(ChannelHandlerContext ctx, boolean on) {
        try {
            return ctx.channel().config().setOption(EpollChannelOption.TCP_CORK, on);
        } catch (ChannelException e) {
            return false; // the socket is already closed: nothing to hold back or push
        }
    }

    static boolean zeroCopyPossible(ChannelPipeline pipeline) {
        return pipeline.get(SslHandler.class) == null;
    }
}
