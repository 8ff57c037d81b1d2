package dev.front.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The client connection's HTTP/1.1 codec: Netty's request decoder and response encoder, paired like Netty's
 * {@code HttpServerCodec} (a HEAD's response carries no body, nor a CONNECT's 2xx a Transfer-Encoding), except that
 * it decodes on demand: one step per read asked for (a request's head, a piece of its body, or a whole request without
 * one); what else the socket delivered stays undecoded in the decoder's buffer, and the next read takes its message
 * from there before the socket is read again. So a client that pipelines requests costs the front their bytes, not a
 * queue of decoded requests, and however many it sends in one burst, each is answered in turn, as nginx does.
 * ({@code HttpServerCodec} decodes all of a read at once and, past 128 requests decoded and not yet answered, drops
 * the rest and closes the connection.) The response's header lines are written by {@link HeaderLines}, the same bytes
 * as Netty's encoder in fewer copies.
 */
public final class ClientCodec extends CombinedChannelDuplexHandler<ClientCodec.RequestDecoder, ClientCodec.ResponseEncoder> {

    /** The method of each request decoded and not answered yet, oldest first. */
    private final ArrayDeque<HttpMethod> unanswered = new ArrayDeque<>(2);

    /**
     * The client codec's limits and strictness: request line 8 KiB (414), whole head 32 KiB (431), bare CR or LF
     * refused, Transfer-Encoding per RFC 9112, header names and values validated. {@link RequestChecks} adds what
     * the codec cannot express.
     */
    public static HttpDecoderConfig decoderConfig() {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(RequestChecks.MAX_REQUEST_LINE)
                .setMaxHeaderSize(RequestChecks.MAX_HEAD_SIZE)
                .setMaxChunkSize(64 * 1024)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true);
    }

    public ClientCodec(HttpDecoderConfig config) {
        init(new RequestDecoder(config), new ResponseEncoder());
    }

    final class RequestDecoder extends HttpRequestDecoder {
        private ChannelHandlerContext ctx;
        /** In {@link #handOn}: what it hands on can ask for the next message before it is done. */
        private boolean handing;
        /** A read was asked for and is not served yet. */
        private boolean readAsked;
        private boolean decoded;

        RequestDecoder(HttpDecoderConfig config) {
            super(config);
            setSingleDecode(true);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
            this.ctx = ctx;
            super.handlerAdded(ctx);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            int before = out.size();
            super.decode(ctx, buffer, out);
            for (int i = before; i < out.size(); i++) {
                decoded = true;
                if (out.get(i) instanceof HttpRequest request) {
                    unanswered.addLast(request.method());
                }
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (handing) {
                super.channelRead(ctx, msg);
                return;
            }
            handOn(msg);
            serveReads();
        }

        /** The next message is asked for. */
        void readAsked() throws Exception {
            readAsked = true;
            if (!handing) {
                serveReads();
            }
        }

        /**
         * Serves the reads asked for, each from the bytes already read if they hold a message, else from the socket.
         * A read asked for while a message is being handed on waits until that is done: decoding the next request
         * then would pass the end of the one before it. The rest of that hand-on may satisfy it already (the end of
         * a request that had no body), so one request can be decoded ahead; the flow handler keeps it.
         */
        private void serveReads() throws Exception {
            while (readAsked) {
                readAsked = false;
                decoded = false;
                if (actualReadableBytes() > 0) {
                    handOn(Unpooled.EMPTY_BUFFER); // goes on through what it holds
                }
                if (!decoded) {
                    ctx.read();
                }
            }
        }

        /** Decodes {@code msg} after what is held and hands on what that gives. */
        private void handOn(Object msg) throws Exception {
            handing = true;
            try {
                super.channelRead(ctx, msg);
            } finally {
                handing = false;
            }
        }
    }

    final class ResponseEncoder extends HttpResponseEncoder {
        private HttpMethod method;

        @Override
        public void read(ChannelHandlerContext ctx) throws Exception {
            inboundHandler().readAsked();
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg); // not the final response: the request stays unanswered
            }
            method = unanswered.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            HeaderLines.encode(headers, buf);
        }

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
            if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method)
                    && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING); // RFC 9110 9.3.6: a tunnel follows
                return;
            }
            super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
        }
    }
}
