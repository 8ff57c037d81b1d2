package dev.front.core.upstream;

import dev.front.core.http.HeaderLines;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.util.AsciiString;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The upstream connection's HTTP/1.1 codec (to the child or to {@code --upstream}): Netty's request encoder and
 * response decoder, paired as in Netty's {@code HttpClientCodec} so that the response to a HEAD is read without a
 * body, but with only what the front needs: it never sends CONNECT, and after a 101 the tunnel takes the codec out of
 * the pipeline. The request's header lines are written by {@link HeaderLines}, as the client codec writes the
 * response's.
 */
public final class UpstreamCodec
        extends CombinedChannelDuplexHandler<UpstreamCodec.ResponseDecoder, UpstreamCodec.RequestEncoder> {

    /** The method of each request sent and not answered yet, oldest first. */
    private final ArrayDeque<HttpMethod> unanswered = new ArrayDeque<>(2);

    public UpstreamCodec(HttpDecoderConfig config) {
        init(new ResponseDecoder(config), new RequestEncoder());
    }

    final class ResponseDecoder extends HttpResponseDecoder {
        ResponseDecoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            if (((HttpResponse) msg).status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg); // not the final response: the request stays unanswered
            }
            return HttpMethod.HEAD.equals(unanswered.poll()) || super.isContentAlwaysEmpty(msg);
        }

        /**
         * A field name must end at its colon. Netty's response decoder ends a name at the first space too and then
         * skips to the first colon, if any, so {@code this is not a header line} would be relayed as a field
         * {@code this} with an empty value. Such a line (and {@code Name : value}, which nginx refuses from an
         * upstream as well) fails the head; the exchange answers 502. The byte after the name is within the line:
         * a line with neither colon nor space fails in Netty before it gets here.
         */
        @Override
        protected AsciiString splitHeaderName(byte[] line, int start, int length) {
            if (line[start + length] != ':') {
                throw new IllegalArgumentException("not a header line");
            }
            return super.splitHeaderName(line, start, length);
        }
    }

    final class RequestEncoder extends HttpRequestEncoder {
        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest request) {
                unanswered.addLast(request.method());
            }
            super.encode(ctx, msg, out);
        }

        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            HeaderLines.encode(headers, buf);
        }
    }
}
