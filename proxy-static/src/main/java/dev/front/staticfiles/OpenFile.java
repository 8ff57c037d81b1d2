package dev.front.staticfiles;

import io.netty.util.AbstractReferenceCounted;
import io.netty.util.AsciiString;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * An open file with the size and validators read right after opening it, shared by the cache and every response
 * that sends it, and closed when the last of them releases it. Sharing is safe because sendfile and
 * {@link FileChannel#transferTo} read at an explicit offset and never move the channel's position.
 */
final class OpenFile extends AbstractReferenceCounted {

    private final FileChannel channel;
    private final long size;
    private final long modifiedSecond;
    private final String etag;
    /** Header values computed once per open rather than once per response. */
    private final AsciiString etagValue;
    private final AsciiString lastModifiedValue;
    private final AsciiString lengthValue;
    private final ContentCoding coding;
    private final long openedAt;

    private OpenFile(FileChannel channel, long size, FileTime modified, ContentCoding coding) {
        this.channel = channel;
        this.size = size;
        this.modifiedSecond = modified.to(TimeUnit.SECONDS);
        this.etag = EntityTags.of(size, modified, coding == null ? null : coding.token());
        this.etagValue = new AsciiString(etag);
        this.lastModifiedValue = new AsciiString(HttpDates.format(modifiedSecond));
        this.lengthValue = AsciiString.of(Long.toString(size));
        this.coding = coding;
        this.openedAt = System.nanoTime();
    }

    /** Opens a regular file that the resolver has vetted; blocks, so never on an event loop. */
    static OpenFile open(Path path, ContentCoding coding) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new OpenFile(channel, channel.size(), Files.getLastModifiedTime(path), coding);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    FileChannel channel() {
        return channel;
    }

    long size() {
        return size;
    }

    long modifiedSecond() {
        return modifiedSecond;
    }

    String etag() {
        return etag;
    }

    AsciiString etagValue() {
        return etagValue;
    }

    /** Last-Modified, IMF-fixdate. */
    AsciiString lastModifiedValue() {
        return lastModifiedValue;
    }

    /** The Content-Length of the whole file. */
    AsciiString lengthValue() {
        return lengthValue;
    }

    /** The content coding of this representation, {@code null} for the original. */
    ContentCoding coding() {
        return coding;
    }

    long openedAt() {
        return openedAt;
    }

    /** Retains unless already fully released (a cache entry evicted meanwhile); {@code null} then. */
    OpenFile tryRetain() {
        try {
            retain();
            return this;
        } catch (io.netty.util.IllegalReferenceCountException e) {
            return null;
        }
    }

    @Override
    public OpenFile retain() {
        super.retain();
        return this;
    }

    @Override
    protected void deallocate() {
        ResponsePlan.closeQuietly(channel);
    }

    @Override
    public OpenFile touch(Object hint) {
        return this;
    }
}
