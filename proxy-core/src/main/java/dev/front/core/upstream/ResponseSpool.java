package dev.front.core.upstream;

import dev.front.core.connection.HandlerNames;
import dev.front.core.transport.FileRegions;
import dev.front.core.compress.ResponseCompressor;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * The part of a response the client cannot take yet, kept in a temp file so the child is read as fast as it writes
 * and its worker is free at once. Memory is the client channel's own outbound buffer up to its high water mark;
 * what arrives beyond it is appended here (asynchronous writes, off the event loop) and handed to the client as
 * file regions (sendfile) when it is writable again. The file is reused from its start once everything written
 * to it has been sent, and it never grows past {@code maxSize} plus one read: a full spool stops the reads from
 * the child, which is the backpressure. When the file cannot grow (the temp directory is full, or cannot be written),
 * the spool stops growing for the rest of the response: what it could not write stays in memory and follows what is
 * on disk to the client, the reads from the child go on only as fast as the client reads, and the file is closed and
 * deleted as soon as its bytes have left. Nothing is lost and nothing waits for space that may never come. While the
 * body is compressed on its way out ({@link ResponseCompressor}), what is on disk is read back into buffers instead
 * (asynchronously, one read at a time), since a file region's bytes would pass the compressor untouched. Every
 * method runs on the client's event loop.
 */
final class ResponseSpool {

    /** Under TLS: the spool file is read in pieces of this size (four TLS records). */
    private static final int TLS_CHUNK = 64 * 1024;
    /** What one read back from the file hands the client at most (compressed bodies only). */
    private static final int READ_BACK = 64 * 1024;

    private final ChannelHandlerContext client;
    private final Path tempDir;
    private final long maxSize;
    private final Runnable progress;
    private final Consumer<Throwable> cannotGrow;
    private Path file;
    private AsynchronousFileChannel channel;
    /** End of what was appended, of what is written to disk, and of what was handed to the client. */
    private long appended;
    private long written;
    private long handedOver;
    /** Bytes handed to the client from memory, after the file could not grow; they follow {@code written}. */
    private long handedFromMemory;
    private int regionsInFlight;
    private boolean writing;
    /** A read back from the file is under way; it counts in {@code regionsInFlight} until its write completes. */
    private boolean reading;
    private boolean released;
    /** The file could not grow: what is queued goes to the client from memory, after what is on disk. */
    private boolean failed;
    private final java.util.ArrayDeque<ByteBuf> queued = new java.util.ArrayDeque<>();

    /**
     * @param progress run after a write to disk or a region to the client completes: the exchange may read on or
     *                 finish
     * @param cannotGrow told once when the file cannot be created or written (the spool goes on without growing)
     */
    ResponseSpool(ChannelHandlerContext client, Path tempDir, long maxSize, Runnable progress,
                  Consumer<Throwable> cannotGrow) {
        this.client = client;
        this.tempDir = tempDir;
        this.maxSize = maxSize;
        this.progress = progress;
        this.cannotGrow = cannotGrow;
    }

    /** True when nothing waits here: new bytes may go straight to the client without overtaking any. */
    boolean isEmpty() {
        return appended == handedOver + handedFromMemory;
    }

    /** True when everything spooled has also left the front (no region still being sent). */
    boolean isDrained() {
        return isEmpty() && regionsInFlight == 0;
    }

    /** True while the file may take more without growing past its bound. */
    boolean hasRoom() {
        return appended < maxSize && !failed;
    }

    /**
     * Appends {@code data} (ownership passes here). Throws when the file cannot be created; the data is then still
     * the caller's, and the spool has no room from now on.
     */
    void append(ByteBuf data) throws IOException {
        if (released) {
            data.release();
            return;
        }
        if (file == null && !failed) {
            try {
                file = Files.createTempFile(tempDir, "front-response-", ".tmp");
                channel = AsynchronousFileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
            } catch (IOException | RuntimeException e) {
                failed = true;
                deleteFile();
                throw e;
            }
        }
        appended += data.readableBytes();
        queued.addLast(data);
        if (failed) {
            drain();
        } else {
            writeNext();
        }
    }

    private void writeNext() {
        if (writing || queued.isEmpty() || released || failed) {
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
                    writing = false;
                    if (released) {
                        data.release();
                        return;
                    }
                    // What did reach the disk is kept; the rest of this buffer goes first from memory.
                    data.skipBytes((int) (at - written));
                    written = at;
                    queued.addFirst(data);
                    failed = true;
                    cannotGrow.accept(cause);
                    drain();
                    progress.run();
                });
            }
        });
    }

    /** Hands what is on disk to the client while it is writable; flushes once. */
    void drain() {
        if (released || !client.channel().isWritable()) {
            return;
        }
        if (written == handedOver) {
            drainMemory();
            return;
        }
        if (reading) {
            return;
        }
        long from = handedOver;
        long count = written - handedOver;
        if (ResponseCompressor.encoding(client.channel())) {
            readBack(from, (int) Math.min(count, READ_BACK));
            return;
        }
        handedOver = written;
        regionsInFlight++;
        ChannelFuture sent;
        try {
            sent = client.writeAndFlush(slice(from, count));
        } catch (IOException e) {
            sent = client.newFailedFuture(e); // the spool file cannot be opened again: the response is cut short
        }
        sent.addListener((ChannelFutureListener) this::handedOff);
    }

    /** A piece from the file has left (or failed to): the next one, or what waits in memory, may follow. */
    private void handedOff(ChannelFuture f) {
        regionsInFlight--;
        if (f.isSuccess() && isDrained() && !writing) {
            // Everything on disk has left: the next spill starts at the beginning of the file again.
            appended = written = handedOver = handedFromMemory = 0;
        }
        if (failed) {
            drain(); // what waits in memory follows what was on disk
        }
        progress.run();
    }

    /**
     * Bytes {@code from} .. {@code from + count} of the spool file as the client's pipeline takes them: a file
     * region (sendfile) on a plain connection; under TLS, whose handler must encrypt the bytes and so cannot take a
     * region, the file read in chunks by a {@link ChunkedWriteHandler} in front of the writer.
     */
    private Object slice(long from, long count) throws IOException {
        if (client.pipeline().get(SslHandler.class) == null) {
            return FileRegions.sendable(client.channel(), new DefaultFileRegion(file.toFile(), from, count));
        }
        if (client.pipeline().get(ChunkedWriteHandler.class) == null) {
            client.pipeline().addBefore(client.name(), HandlerNames.CHUNKED_WRITER, new ChunkedWriteHandler());
        }
        return new ChunkedNioFile(FileChannel.open(file, StandardOpenOption.READ), from, count, TLS_CHUNK);
    }

    /**
     * Reads {@code count} bytes from {@code from} of the file off the event loop and hands them to the client as a
     * buffer; then drains on. They count as handed over only once read, so that nothing new overtakes them.
     */
    private void readBack(long from, int count) {
        reading = true;
        regionsInFlight++;
        ByteBuf buffer = client.alloc().directBuffer(count);
        ByteBuffer target = buffer.nioBuffer(0, count);
        channel.read(target, from, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer read, Void ignored) {
                client.executor().execute(() -> readDone(buffer, from, read));
            }

            @Override
            public void failed(Throwable cause, Void ignored) {
                client.executor().execute(() -> readDone(buffer, from, -1));
            }
        });
    }

    private void readDone(ByteBuf buffer, long from, int read) {
        reading = false;
        if (released || read <= 0) {
            buffer.release();
            regionsInFlight--;
            if (!released) {
                // What was spooled cannot be read back (the temp file's disk failed): the body cannot be completed,
                // and the client sees the cut; the access log shows the response incomplete.
                client.close();
            }
            return;
        }
        buffer.writerIndex(read);
        handedOver = from + read;
        client.writeAndFlush(new DefaultHttpContent(buffer)).addListener((ChannelFutureListener) this::handedOff);
        drain();
    }

    /**
     * After the file could not grow: once everything on disk is handed over, what waits in memory goes to the
     * client, in order, while it is writable.
     */
    private void drainMemory() {
        if (!failed) {
            return;
        }
        if (regionsInFlight == 0) {
            deleteFile();
        }
        ByteBuf data;
        boolean wrote = false;
        while (client.channel().isWritable() && (data = queued.pollFirst()) != null) {
            handedFromMemory += data.readableBytes();
            client.write(new DefaultHttpContent(data));
            wrote = true;
        }
        if (wrote) {
            client.flush();
        }
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
        deleteFile();
    }

    /** Closes and deletes the file; regions already opened hold their own descriptors. */
    private void deleteFile() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing is lost: what is still to send is in regions or in memory.
            }
            channel = null;
        }
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // The directory is a temp directory.
            }
            file = null;
        }
    }
}
