package dev.front.core.upstream;

import dev.front.core.transport.FileRegions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * A request body received in full before the child is contacted: in memory up to a threshold, then in a temp file
 * (so a slow or large upload never occupies a worker, and memory per connection stays bounded). File writes run on
 * the JDK's asynchronous file channel pool, never on the event loop; the caller reads the next piece from the
 * client only when the previous one is stored, which is the backpressure. The temp file is deleted by
 * {@link #release()}.
 */
final class RequestBody {

    private final ByteBufAllocator alloc;
    private final EventExecutor executor;
    private final int memoryThreshold;
    private final Path tempDir;
    private CompositeByteBuf memory;
    private Path file;
    private AsynchronousFileChannel channel;
    private long length;
    private boolean released;

    RequestBody(ByteBufAllocator alloc, EventExecutor executor, int memoryThreshold, Path tempDir) {
        this.alloc = alloc;
        this.executor = executor;
        this.memoryThreshold = memoryThreshold;
        this.tempDir = tempDir;
    }

    long length() {
        return length;
    }

    boolean inFile() {
        return file != null;
    }

    /**
     * Stores {@code data} (ownership passes here) and then runs {@code stored} on the event loop, or
     * {@code failed} when the temp file cannot be written.
     */
    void append(ByteBuf data, Runnable stored, Consumer<Throwable> failed) {
        if (released) {
            data.release();
            return;
        }
        length += data.readableBytes();
        if (file == null && length <= memoryThreshold) {
            if (memory == null) {
                memory = alloc.compositeBuffer(Integer.MAX_VALUE);
            }
            memory.addComponent(true, data);
            stored.run();
            return;
        }
        ByteBuf toWrite = data;
        if (file == null) {
            try {
                file = Files.createTempFile(tempDir, "front-body-", ".tmp");
                channel = AsynchronousFileChannel.open(file, StandardOpenOption.WRITE);
            } catch (IOException | RuntimeException e) {
                data.release();
                failed.accept(e);
                return;
            }
            if (memory != null) {
                // What was in memory goes first; one composite write keeps the order.
                memory.addComponent(true, data);
                toWrite = memory;
                memory = null;
            }
        }
        write(toWrite, length - toWrite.readableBytes(), stored, failed);
    }

    private void write(ByteBuf data, long position, Runnable stored, Consumer<Throwable> failed) {
        ByteBuffer buffer = data.nioBufferCount() == 1 ? data.nioBuffer() : copy(data);
        channel.write(buffer, position, null, new CompletionHandler<Integer, Void>() {
            private long at = position;

            @Override
            public void completed(Integer written, Void ignored) {
                at += written;
                if (buffer.hasRemaining()) {
                    channel.write(buffer, at, null, this);
                    return;
                }
                executor.execute(() -> {
                    data.release();
                    stored.run();
                });
            }

            @Override
            public void failed(Throwable cause, Void ignored) {
                executor.execute(() -> {
                    data.release();
                    failed.accept(cause);
                });
            }
        });
    }

    /** A buffer in several pieces is written as one: a heap copy, only on the rare spill of a fragmented body. */
    private static ByteBuffer copy(ByteBuf data) {
        ByteBuffer buffer = ByteBuffer.allocate(data.readableBytes());
        data.getBytes(data.readerIndex(), buffer);
        buffer.flip();
        return buffer;
    }

    /**
     * Writes the request to the child with this body: a body in memory goes with the head as one message (one buffer
     * when small, one write); a body in a file follows its head zero-copy. The encoder only reads {@code headers}, so
     * a retry can send the same set again.
     */
    ChannelFuture sendWith(Channel to, HttpMethod method, String target, HttpHeaders headers) {
        Object content = length == 0 ? Unpooled.EMPTY_BUFFER : content(to);
        if (content instanceof ByteBuf bytes) {
            return to.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, target, bytes, headers,
                    EmptyHttpHeaders.INSTANCE));
        }
        to.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, target, headers));
        to.write(content);
        return to.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /**
     * The body to send, once every piece is stored: a retained duplicate of the memory buffer, or a new file region
     * (zero-copy) over the temp file, as {@code to} can take it. Each call gives a fresh object, so a retry can send it
     * again.
     */
    Object content(Channel to) {
        if (file != null) {
            return FileRegions.sendable(to, new DefaultFileRegion(file.toFile(), 0, length));
        }
        return memory == null ? alloc.buffer(0) : memory.retainedDuplicate();
    }

    /** All pieces are stored: no more writes will come. */
    void complete() {
        closeChannel();
    }

    /** Frees the memory and deletes the temp file; idempotent. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        if (memory != null) {
            memory.release();
            memory = null;
        }
        closeChannel();
        if (file != null) {
            try {
                Files.deleteIfExists(file); // a region still being sent keeps its open descriptor
            } catch (IOException e) {
                // Nothing more can be done; the directory is a temp directory.
            }
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing a write channel whose writes all completed cannot lose data.
            }
            channel = null;
        }
    }
}
