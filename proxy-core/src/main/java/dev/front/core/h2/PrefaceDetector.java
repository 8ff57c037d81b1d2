package dev.front.core.h2;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tells HTTP/2 by prior knowledge from HTTP/1.1 on the first bytes of a connection (with {@code --http2}): a client
 * that opens with the HTTP/2 connection preface (RFC 9113 3.4) gets the HTTP/2 pipeline, anything else is HTTP/1.1.
 * It decides at the first byte that differs from the preface, so an HTTP/1.1 request waits for nothing; it holds at
 * most the preface's 24 bytes, then removes itself and hands what it holds to the handlers behind it.
 */
public final class PrefaceDetector extends ByteToMessageDecoder {

    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Consumer<ChannelPipeline> http2;

    /** @param http2 turns the connection's pipeline into HTTP/2's, behind this handler; run once the preface is in */
    public PrefaceDetector(Consumer<ChannelPipeline> http2) {
        this.http2 = http2;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (match(in)) {
            case HTTP2 -> {
                http2.accept(ctx.pipeline());
                ctx.pipeline().remove(this); // the preface itself goes on to the HTTP/2 codec, which expects it
            }
            case HTTP1 -> ctx.pipeline().remove(this);
            case UNDECIDED -> {
                // a prefix of the preface so far: wait for the next bytes
            }
        }
    }

    enum Verdict { HTTP2, HTTP1, UNDECIDED }

    /** What the bytes readable in {@code in} say, without consuming them. */
    static Verdict match(ByteBuf in) {
        int n = Math.min(in.readableBytes(), PREFACE.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != PREFACE[i]) {
                return Verdict.HTTP1;
            }
        }
        return n == PREFACE.length ? Verdict.HTTP2 : Verdict.UNDECIDED;
    }
}
