package dev.front.staticfiles;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The framing of a {@code multipart/byteranges} body: a random boundary, the header block before each part and the
 * closing delimiter, with the exact total length. The file bytes themselves are not touched here.
 */
final class MultipartByteranges {

    private final String boundary;
    private final String partContentType;
    private final long totalLength;
    private final List<ByteRanges.ByteRange> ranges;

    MultipartByteranges(String partContentType, long totalLength, List<ByteRanges.ByteRange> ranges) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // random so that no file content can contain it by design of an attacker; 128 bits is plenty
        this.boundary = Long.toHexString(random.nextLong() | Long.MIN_VALUE)
                + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
        this.partContentType = partContentType;
        this.totalLength = totalLength;
        this.ranges = ranges;
    }

    String contentType() {
        return "multipart/byteranges; boundary=" + boundary;
    }

    /** The delimiter and headers before part {@code i}; every part but the first starts with the CRLF ending the previous one. */
    byte[] partHeader(int i) {
        ByteRanges.ByteRange range = ranges.get(i);
        return ((i == 0 ? "" : "\r\n") + "--" + boundary + "\r\n"
                + "Content-Type: " + partContentType + "\r\n"
                + "Content-Range: bytes " + range.first() + "-" + range.last() + "/" + totalLength + "\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    byte[] closing() {
        return ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    long contentLength() {
        long length = closing().length;
        for (int i = 0; i < ranges.size(); i++) {
            length += partHeader(i).length + ranges.get(i).length();
        }
        return length;
    }
}
