package dev.front.staticfiles;

import dev.front.core.AliasRequest;
import dev.front.core.AliasService;
import dev.front.core.ErrorResponses;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Serves files under an alias with sendfile. First version: GET/HEAD, Content-Type, Last-Modified, 404, and no
 * escape from the alias root (the path was already decoded and normalised by the router).
 */
public final class StaticFileService implements AliasService {

    private final String directoryIndex;

    public StaticFileService(String directoryIndex) {
        this.directoryIndex = directoryIndex;
    }

    @Override
    public ChannelFuture serve(ChannelHandlerContext ctx, HttpRequest request, AliasRequest target) {
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            var response = ErrorResponses.of(HttpResponseStatus.METHOD_NOT_ALLOWED, false);
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return ErrorResponses.send(ctx, response);
        }
        Path file = resolve(target);
        if (file == null) {
            return ErrorResponses.send(ctx, HttpResponseStatus.NOT_FOUND, false);
        }
        FileChannel channel;
        long length;
        long modified;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            length = channel.size();
            modified = Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return ErrorResponses.send(ctx, HttpResponseStatus.NOT_FOUND, false);
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType(file.getFileName().toString()))
                .set(HttpHeaderNames.CONTENT_LENGTH, length)
                .set(HttpHeaderNames.LAST_MODIFIED, DateTimeFormatter.RFC_1123_DATE_TIME
                        .format(java.time.Instant.ofEpochMilli(modified).atZone(ZoneOffset.UTC)));
        if (!HttpUtil.isKeepAlive(request)) {
            HttpUtil.setKeepAlive(response, false);
        }
        ctx.write(response);
        if (request.method().equals(HttpMethod.HEAD)) {
            closeQuietly(channel);
        } else {
            ctx.write(new DefaultFileRegion(channel, 0, length));
        }
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** The regular file for the request, contained in the alias root, or {@code null}. */
    private Path resolve(AliasRequest target) {
        try {
            Path root = target.alias().path().toRealPath();
            String sub = target.subPath();
            Path candidate = sub.isEmpty() ? root : root.resolve(sub.substring(1));
            if (sub.endsWith("/")) {
                candidate = candidate.resolve(directoryIndex);
            }
            Path real = candidate.toRealPath();
            if (!real.startsWith(root) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            return real;
        } catch (IOException e) {
            return null;
        }
    }

    private static String contentType(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".html")) return "text/html; charset=utf-8";
        if (lower.endsWith(".css")) return "text/css; charset=utf-8";
        if (lower.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (lower.endsWith(".txt")) return "text/plain; charset=utf-8";
        if (lower.endsWith(".json")) return "application/json";
        return "application/octet-stream";
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was read from it
        }
    }
}
