package dev.front.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Refuses two things Netty's codec silently accepts and has no switch to refuse: obsolete line folding (a header line
 * that starts with a space or tab, RFC 9112 5.2), which it joins to the previous value, and more than one
 * Content-Length value on HTTP/1.0 (two fields, or a list), of which it keeps the first (on HTTP/1.1 it refuses them
 * itself; a 1.0 request must not be framed two ways either). This handler, before the codec, follows the request framing just enough to know where each head is: heads line by line, bodies skipped by
 * Content-Length or by chunk sizes. When a head is folded, the bytes of that head and everything after it are
 * replaced by one line the codec itself refuses, so the refusal reaches the router as a failed request, in order
 * after any request pipelined before it, and the connection is answered 400 and closed. When the framing cannot be
 * followed (the codec then refuses the request anyway) the handler stops looking. A second Content-Length is refused
 * the same way, at the end of its line.
 */
public final class ObsFoldHandler extends ChannelInboundHandlerAdapter {

    /**
     * Refused by the codec wherever it lands: as a request line (no spaces: HTTP/0.9) and as a header line (a name
     * with parentheses); the router answers the failed request with 400.
     */
    private static final byte[] REFUSED_LINE = "(obs-fold)\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_RECORDED_LINE = 256;
    private static final String CONTENT_LENGTH = "content-length";
    private static final String TRANSFER_ENCODING = "transfer-encoding";

    private enum State { HEAD, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, REFUSED, BLIND }

    private State state = State.HEAD;
    private final StringBuilder line = new StringBuilder();
    private boolean lineTooLong;
    private boolean atLineStart = true;
    private boolean requestLineSeen;
    private long contentLength;
    private boolean lengthSeen;
    /** The head being read has a second Content-Length value: refused once its line is read. */
    private boolean lengthConflict;
    private boolean chunked;
    private long remaining;
    /** The current line when it lies whole in one buffer ({@code null} when it is in {@link #line}). */
    private ByteBuf lineBuf;
    private int lineStart;
    private int lineLength;
    /** Set by {@link #startHead()} so the scanning loop notes where the next head begins. */
    private boolean headStarted;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in) || state == State.BLIND) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (state == State.REFUSED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        int end = in.writerIndex();
        int i = in.readerIndex();
        // Where the current head starts in this buffer; -1 when it started in an earlier one.
        int headStart = state == State.HEAD && !requestLineSeen ? i : -1;
        while (i < end && state != State.BLIND) {
            headStarted = false;
            switch (state) {
                case FIXED_BODY, CHUNK_DATA -> {
                    int skip = (int) Math.min(remaining, end - i);
                    i += skip;
                    remaining -= skip;
                    if (remaining == 0 && state == State.FIXED_BODY) {
                        startHead();
                    } else if (remaining == 0) {
                        state = State.CHUNK_END;
                        remaining = 2;
                    }
                }
                case CHUNK_END -> {
                    i++;
                    if (--remaining == 0) {
                        state = State.CHUNK_SIZE;
                    }
                }
                default -> { // HEAD, CHUNK_SIZE, TRAILERS: whole lines at a time
                    if (state == State.HEAD && atLineStart && requestLineSeen) {
                        byte b = in.getByte(i);
                        if (b == ' ' || b == '\t') {
                            refuse(ctx, in, headStart);
                            return;
                        }
                    }
                    int lf = in.indexOf(i, end, (byte) '\n');
                    if (lf < 0) {
                        record(in, i, end); // the line goes on in the next buffer
                        atLineStart = false;
                        i = end;
                    } else {
                        lineEndsAt(in, i, lf);
                        i = lf + 1;
                        endOfLine();
                        if (lengthConflict) {
                            refuse(ctx, in, headStart);
                            return;
                        }
                    }
                }
            }
            if (headStarted) {
                headStart = i;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Keeps the bytes of a line that goes on in the next buffer, CRs left out. */
    private void record(ByteBuf in, int from, int to) {
        for (int k = from; k < to; k++) {
            byte b = in.getByte(k);
            if (b == '\r') {
                continue;
            }
            if (line.length() < MAX_RECORDED_LINE) {
                line.append((char) (b & 0xff));
            } else {
                lineTooLong = true;
            }
        }
    }

    /**
     * A line ends at {@code lf} in {@code in}. When all of it is in this buffer (the usual case) it is read there,
     * and only the few lines that matter become strings; else its end joins the part kept from earlier buffers.
     */
    private void lineEndsAt(ByteBuf in, int from, int lf) {
        if (line.isEmpty() && !lineTooLong) {
            lineBuf = in;
            lineStart = from;
            lineLength = lf > from && in.getByte(lf - 1) == '\r' ? lf - 1 - from : lf - from;
        } else {
            record(in, from, lf);
            lineBuf = null;
        }
    }

    private boolean lineIsEmpty() {
        return lineBuf != null ? lineLength == 0 : !lineTooLong && line.isEmpty();
    }

    /** The line as text, or {@code null} when it is too long to matter. */
    private String lineText() {
        if (lineBuf != null) {
            return lineLength > MAX_RECORDED_LINE ? null
                    : lineBuf.toString(lineStart, lineLength, StandardCharsets.ISO_8859_1);
        }
        return lineTooLong ? null : line.toString();
    }

    /** Whether the header line may name Content-Length or Transfer-Encoding: a name of their length. */
    private boolean mayFrame() {
        if (lineBuf == null) {
            return true;
        }
        int colon = lineBuf.indexOf(lineStart, lineStart + lineLength, (byte) ':') - lineStart;
        return colon == CONTENT_LENGTH.length() || colon == TRANSFER_ENCODING.length();
    }

    private void endOfLine() {
        boolean empty = lineIsEmpty();
        switch (state) {
            case HEAD -> {
                if (empty) {
                    if (requestLineSeen) {
                        endOfHead();
                    } // else: an empty line before the request line, which the codec skips
                } else if (!requestLineSeen) {
                    requestLineSeen = true;
                } else if (mayFrame()) {
                    String text = lineText();
                    if (text != null) {
                        header(text);
                    }
                }
            }
            case CHUNK_SIZE -> chunkSize(lineText());
            case TRAILERS -> {
                if (empty) {
                    state = State.HEAD;
                    startHead();
                }
            }
            default -> {
            }
        }
        line.setLength(0);
        lineTooLong = false;
        lineBuf = null;
        atLineStart = true;
    }

    private void header(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return;
        }
        String name = text.substring(0, colon);
        String value = text.substring(colon + 1).trim();
        if (name.equalsIgnoreCase(TRANSFER_ENCODING)) {
            chunked = true; // anything but one final "chunked" is refused by the router and the connection closed
        } else if (name.equalsIgnoreCase(CONTENT_LENGTH)) {
            lengthConflict = lengthSeen || value.indexOf(',') >= 0;
            lengthSeen = true;
            try {
                contentLength = Long.parseLong(value);
            } catch (NumberFormatException e) {
                contentLength = -1; // refused by the codec
            }
        }
    }

    private void endOfHead() {
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength > 0) {
            state = State.FIXED_BODY;
            remaining = contentLength;
        } else if (contentLength < 0) {
            state = State.BLIND;
        } else {
            startHead();
        }
    }

    private void chunkSize(String text) {
        if (text == null) {
            state = State.BLIND;
            return;
        }
        int endOfSize = 0;
        while (endOfSize < text.length() && Character.digit(text.charAt(endOfSize), 16) >= 0) {
            endOfSize++;
        }
        if (endOfSize == 0 || endOfSize > 15) {
            state = State.BLIND; // the codec refuses the chunk
            return;
        }
        long size = Long.parseLong(text.substring(0, endOfSize), 16);
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            state = State.CHUNK_DATA;
            remaining = size;
        }
    }

    private void startHead() {
        headStarted = true;
        state = State.HEAD;
        requestLineSeen = false;
        contentLength = 0;
        lengthSeen = false;
        chunked = false;
        atLineStart = true;
        line.setLength(0);
    }

    /** Passes on the bytes before the folded head, then a line the codec refuses; drops everything after. */
    private void refuse(ChannelHandlerContext ctx, ByteBuf in, int headStart) {
        state = State.REFUSED;
        int before = Math.max(headStart, in.readerIndex()) - in.readerIndex();
        ByteBuf passed = in.readRetainedSlice(before);
        in.release();
        if (passed.isReadable()) {
            ctx.fireChannelRead(passed);
        } else {
            passed.release();
        }
        ctx.fireChannelRead(Unpooled.wrappedBuffer(REFUSED_LINE));
    }
}
