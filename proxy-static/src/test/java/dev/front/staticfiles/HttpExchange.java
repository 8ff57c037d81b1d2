package dev.front.staticfiles;

import dev.front.config.Alias;
import dev.front.core.alias.AliasRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Drives a {@link StaticFileService} through Netty's real HTTP codec in an {@link EmbeddedChannel}: raw request bytes
 * in, raw response bytes out, with the outbound message types kept so tests can see what was sent as a FileRegion.
 */
final class HttpExchange {

    /** Stands in for the router: every request under {@code alias.urlPath()} goes to the service. */
    static final class ServeHandler extends ChannelInboundHandlerAdapter {
        private final StaticFileService service;
        private final Alias alias;

        ServeHandler(StaticFileService service, Alias alias) {
            this.service = service;
            this.alias = alias;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    String uri = request.uri();
                    int question = uri.indexOf('?');
                    String path = question < 0 ? uri : uri.substring(0, question);
                    String query = question < 0 ? null : uri.substring(question + 1);
                    service.serve(ctx, request, new AliasRequest(alias, path.substring(alias.urlPath().length()), query));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    record Response(int status, Map<String, List<String>> headers, byte[] body, List<Class<?>> messageTypes,
                    List<FileRegion> regions) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(", ", values);
        }

        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    final EmbeddedChannel channel;

    HttpExchange(StaticFileService service, Alias alias) {
        channel = new EmbeddedChannel(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                new ServeHandler(service, alias));
    }

    /** Sends raw request bytes and returns everything written back, split into responses by their framing. */
    List<Response> send(String raw, boolean... head) throws IOException {
        channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
        channel.checkException();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel sink = Channels.newChannel(out);
        List<Class<?>> types = new ArrayList<>();
        List<FileRegion> regions = new ArrayList<>();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            types.add(msg.getClass());
            try {
                if (msg instanceof ByteBuf buf) {
                    buf.readBytes(out, buf.readableBytes());
                } else if (msg instanceof FileRegion region) {
                    regions.add(region);
                    while (region.transferred() < region.count()) {
                        region.transferTo(sink, region.transferred());
                    }
                } else {
                    throw new AssertionError("unexpected outbound message " + msg);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        return parse(out.toByteArray(), types, regions, head);
    }

    Response single(String raw) throws IOException {
        List<Response> responses = send(raw, raw.startsWith("HEAD "));
        if (responses.size() != 1) {
            throw new AssertionError("expected one response, got " + responses.size());
        }
        return responses.getFirst();
    }

    private static List<Response> parse(byte[] bytes, List<Class<?>> types, List<FileRegion> regions, boolean[] head) {
        List<Response> responses = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), at);
            if (end < 0) {
                throw new AssertionError("incomplete head: " + new String(bytes, at, bytes.length - at, StandardCharsets.ISO_8859_1));
            }
            String[] lines = new String(bytes, at, end - at, StandardCharsets.ISO_8859_1).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).strip());
            }
            at = end + 4;
            int index = responses.size();
            boolean isHead = index < head.length && head[index];
            long length = headers.containsKey("content-length") && !isHead && status != 304
                    ? Long.parseLong(headers.get("content-length").getFirst()) : 0;
            if (at + length > bytes.length) {
                throw new AssertionError("body shorter than Content-Length " + length);
            }
            byte[] body = java.util.Arrays.copyOfRange(bytes, at, at + (int) length);
            at += (int) length;
            responses.add(new Response(status, headers, body, types, regions));
        }
        return responses;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
