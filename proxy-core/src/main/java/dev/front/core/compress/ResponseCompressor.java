package dev.front.core.compress;

import dev.front.core.connection.RequestAttributes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * {@code --compress-responses} for the responses relayed from the child: one job, compressing a body on its way to
 * the client. It reads each request's {@code Accept-Encoding}, method and Range as they go in, and compresses only a
 * response marked {@link RequestAttributes#ENCODABLE} by whoever relays it; the front's own answers and static files
 * (whose encodings the static service chooses itself) pass untouched. Which responses qualify is
 * {@link ResponseEncoding}'s; which coding, {@link AcceptEncoding}'s. Not for HEAD or a Range request. A body that
 * is whole at hand goes out whole with its new Content-Length; a streamed one goes out chunked, each piece compressed
 * and flushed as it comes, so a response the child streams still streams. One per connection (HTTP/1.1) or per
 * stream: it holds the current request's facts and the current body's encoder.
 */
public final class ResponseCompressor extends ChannelDuplexHandler {

    private final Compressors compressors;
    /** The request being answered: its Accept-Encoding (lines joined), and whether it is a HEAD or asks a range. */
    private String acceptEncoding;
    private boolean headOrRange;
    /** The encoder of the body going out now; {@code null} when the response passes as it is. */
    private BodyEncoder body;

    public ResponseCompressor(Compressors compressors) {
        this.compressors = compressors;
    }

    /** Whether a body is being compressed on {@code channel} now: its file regions cannot be sent as they are. */
    public static boolean encoding(Channel channel) {
        ResponseCompressor compressor = channel.pipeline().get(ResponseCompressor.class);
        return compressor != null && compressor.body != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            HttpHeaders headers = request.headers();
            List<String> lines = headers.getAll(HttpHeaderNames.ACCEPT_ENCODING);
            acceptEncoding = lines.isEmpty() ? null : lines.size() == 1 ? lines.getFirst() : String.join(",", lines);
            headOrRange = HttpMethod.HEAD.equals(request.method()) || headers.contains(HttpHeaderNames.RANGE);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            head(ctx, response, promise);
        } else if (body != null && msg instanceof HttpContent content) {
            content(ctx, content, promise);
        } else if (body != null && msg instanceof FileRegion region) {
            // The relay reads its spool back into buffers while a body is compressed (see ResponseSpool): a region
            // here would put identity bytes into a compressed body.
            region.release();
            promise.setFailure(new IllegalStateException("a file region in a compressed body"));
            ctx.close();
        } else {
            ctx.write(msg, promise);
        }
    }

    private void head(ChannelHandlerContext ctx, HttpResponse response, ChannelPromise promise) {
        closeBody(); // a new response: whatever an earlier one left is over
        boolean encodable = ctx.channel().attr(RequestAttributes.ENCODABLE).getAndSet(null) != null;
        Coding coding = encodable ? choose(response) : null;
        if (coding == null) {
            ctx.write(response, promise);
            return;
        }
        BodyEncoder encoder = compressors.newBody(coding, Compressors.Effort.STREAM);
        ResponseEncoding.encoded(response.headers(), coding);
        if (response instanceof FullHttpResponse full) {
            // The whole body is here: compressed at once, sent with its length.
            ByteBuf compressed;
            try {
                compressed = join(encoder.encode(full.content().retain()), encoder.finish());
            } catch (RuntimeException e) {
                encoder.close();
                full.release();
                fail(ctx, promise, e);
                return;
            }
            HttpHeaders headers = full.headers();
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            HttpUtil.setContentLength(full, compressed.readableBytes());
            DefaultFullHttpResponse out = new DefaultFullHttpResponse(full.protocolVersion(), full.status(),
                    compressed, headers, full.trailingHeaders());
            full.release();
            ctx.write(out, promise);
            return;
        }
        HttpUtil.setTransferEncodingChunked(response, true);
        body = encoder;
        ctx.write(response, promise);
    }

    /** The coding for this response, or {@code null} to send it as it is; adds Vary to every candidate. */
    private Coding choose(HttpResponse response) {
        long length = HttpUtil.getContentLength(response, -1L); // also what the answer to a HEAD would have
        if (length < 0 && response instanceof FullHttpResponse full) {
            length = full.content().readableBytes();
        }
        if (!ResponseEncoding.candidate(response, length)) {
            return null;
        }
        ResponseEncoding.vary(response.headers()); // whether this client gets it compressed or not
        if (headOrRange) {
            return null;
        }
        return AcceptEncoding.negotiate(acceptEncoding, compressors.available());
    }

    private void content(ChannelHandlerContext ctx, HttpContent content, ChannelPromise promise) {
        boolean last = content instanceof LastHttpContent;
        ByteBuf out;
        try {
            out = body.encode(content.content().retain());
            if (last) {
                out = join(out, body.finish());
            }
        } catch (RuntimeException e) {
            closeBody();
            fail(ctx, promise, e);
            return;
        } finally {
            content.release(); // trailers, if any, are not passed on: the relay never sends the child's
        }
        if (last) {
            body = null;
            ctx.write(new DefaultLastHttpContent(out), promise);
        } else if (out.isReadable()) {
            ctx.write(new DefaultHttpContent(out), promise);
        } else {
            ctx.write(out, promise); // an empty buffer: completes the promise in order
        }
    }

    /** A body that cannot be compressed further cannot be ended correctly either: the client sees the cut. */
    private static void fail(ChannelHandlerContext ctx, ChannelPromise promise, RuntimeException cause) {
        promise.setFailure(cause);
        ctx.close();
    }

    private static ByteBuf join(ByteBuf first, ByteBuf second) {
        if (!second.isReadable()) {
            second.release();
            return first;
        }
        if (!first.isReadable()) {
            first.release();
            return second;
        }
        CompositeByteBuf both = Unpooled.compositeBuffer(2);
        return both.addComponent(true, first).addComponent(true, second);
    }

    private void closeBody() {
        if (body != null) {
            body.close();
            body = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeBody();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        closeBody();
    }
}
