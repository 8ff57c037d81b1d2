package dev.front.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The part of a response the client cannot take yet, kept in a temp file so the child is read as fast as it writes
 * and its worker is free at once. Memory is the client channel's own outbound buffer up to its high water mark;
 * what arrives beyond it is appended here (asynchronous writes, off the event loop) and handed to the client as
 * file regions (sendfile) when it is writable again. The file is reused from its start once everything written
 * to it has been sent, and it never grows past {@code maxSize} plus one read: a full spool stops the reads from
 * the child, which is the backpressure. Every method runs on the client's event loop.
 */
final class ResponseSpool {

    private final ChannelHandlerContext client;
    private final Path tempDir;
    private final long maxSize;
    private final Runnable progress;
    private Path file;
    private AsynchronousFileChannel channel;
    /** End of what was appended, of what is written to disk, and of what was handed to the client. */
    private long appended;
    private long written;
    private long handedOver;
    private int regionsInFlight;
    private boolean writing;
    private boolean released;
    private final java.util.ArrayDeque<ByteBuf> queued = new java.util.ArrayDeque<>();

    /**
     * @param progress run after a write to disk or a region to the client completes: the exchange may read on or
     *                 finish
     */
    ResponseSpool(ChannelHandlerContext client, Path tempDir, long maxSize, Runnable progress) {
        this.client = client;
        this.tempDir = tempDir;
        this.maxSize = maxSize;
        this.progress = progress;
    }

    /** True when nothing waits here: new bytes may go straight to the client without overtaking any. */
    boolean isEmpty() {
        return appended == handedOver;
    }

    /** True when everything spooled has also left the front (no region still being sent). */
    boolean isDrained() {
        return isEmpty() && regionsInFlight == 0;
    }

    /** True while the file may take more without growing past its bound. */
    boolean hasRoom() {
        return appended < maxSize;
    }

    /** Appends {@code data} (ownership passes here). */
    void append(ByteBuf data) throws IOException {
        if (released) {
            data.release();
            return;
        }
        if (file == null) {
            file = Files.createTempFile(tempDir, "front-response-", ".tmp");
            channel = AsynchronousFileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        }
        appended += data.readableBytes();
        queued.addLast(data);
        writeNext();
    }

    private void writeNext() {
        if (writing || queued.isEmpty() || released) {
            return;
        }
        writing = true;
        ByteBuf data = queued.pollFirst();
        ByteBuffer buffer = data.nioBuffer();
        channel.write(buffer, written, null, new CompletionHandler<Integer, Void>() {
            private long at = written;

            @Override
            public void completed(Integer count, Void ignored) {
                at += count;
                if (buffer.hasRemaining()) {
                    channel.write(buffer, at, null, this);
                    return;
                }
                client.executor().execute(() -> {
                    data.release();
                    writing = false;
                    written = at;
                    writeNext();
                    drain();
                    progress.run();
                });
            }

            @Override
            public void failed(Throwable cause, Void ignored) {
                client.executor().execute(() -> {
                    data.release();
                    writing = false;
                    if (!released) {
                        client.fireExceptionCaught(cause);
                    }
                });
            }
        });
    }

    /** Hands what is on disk to the client while it is writable; flushes once. */
    void drain() {
        if (released || written == handedOver || !client.channel().isWritable()) {
            return;
        }
        long from = handedOver;
        long count = written - handedOver;
        handedOver = written;
        regionsInFlight++;
        client.writeAndFlush(FileRegions.sendable(client.channel(), new DefaultFileRegion(file.toFile(), from, count)))
                .addListener((ChannelFutureListener) f -> {
                    regionsInFlight--;
                    if (f.isSuccess() && isDrained() && !writing) {
                        // Everything on disk has left: the next spill starts at the beginning of the file again.
                        appended = written = handedOver = 0;
                    }
                    progress.run();
                });
    }

    /** Frees queued buffers, closes and deletes the file; idempotent. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        ByteBuf data;
        while ((data = queued.pollFirst()) != null) {
            data.release();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing is lost: the response is over.
            }
        }
        if (file != null) {
            try {
                Files.deleteIfExists(file); // regions still being sent hold their own descriptors
            } catch (IOException e) {
                // The directory is a temp directory.
            }
        }
    }
}
