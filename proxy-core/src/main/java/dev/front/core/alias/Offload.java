package dev.front.core.alias;

import dev.front.config.Alias;
import dev.front.config.OffloadConfig;
import dev.front.core.http.RequestTarget;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * File offload ({@code --sendfile-header}): the child answers with a header naming a file instead of the file's
 * bytes, and the front serves that file itself, with all the static semantics (sendfile, ranges, conditionals,
 * sidecars) and the child's own Content-Type, Content-Disposition, caching headers and cookies. Protected downloads
 * cost the app a permission check, not a stream.
 *
 * <p>What the child may name: a URL path under a {@code --url-alias} or an {@code --internal-alias} (which clients
 * can never request themselves), or an absolute file path under a {@code --sendfile-root}. Each goes through the
 * same decoding, normalisation and confinement as a client's request, so a child (or whoever controls the value it
 * echoes) cannot reach a file outside them.
 */
public final class Offload {

    /** The child's headers that describe the file it chose (as nginx keeps them for X-Accel-Redirect). */
    private static final List<AsciiString> KEPT = List.of(HttpHeaderNames.CONTENT_TYPE,
            HttpHeaderNames.CONTENT_DISPOSITION, HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.EXPIRES,
            HttpHeaderNames.SET_COOKIE);

    private final String header;
    private final Router urlPaths;
    private final Router files;
    private final List<String> roots;
    private final AliasService service;

    public Offload(OffloadConfig config, List<Alias> publicAliases, AliasService service) {
        this.header = config.header();
        List<Alias> named = new ArrayList<>(publicAliases);
        named.addAll(config.internalAliases());
        this.urlPaths = new Router(named);
        // A root is an alias whose URL path is its own file path: the child's path is then routed like a URL.
        this.files = new Router(config.roots().stream().map(root -> new Alias(root.toString(), root)).toList());
        this.roots = config.roots().stream().map(Path::toString).toList();
        this.service = service;
    }

    public String header() {
        return header;
    }

    /** What {@code value} names that the front may serve, or {@code null}: outside every alias and root. */
    public AliasRequest resolve(String value) {
        try {
            for (String root : roots) {
                if (value.equals(root) || value.startsWith(root.endsWith("/") ? root : root + "/")) {
                    // A file path, not a URL: a % or a space in it is a character of the name.
                    return files.route(RequestTarget.parse(RequestTarget.encode(value)));
                }
            }
            RequestTarget target = RequestTarget.parse(value);
            return target.authority() == null ? urlPaths.route(target) : null;
        } catch (RequestTarget.BadTargetException e) {
            return null;
        }
    }

    /** The child's headers that go with the file. */
    public static HttpHeaders kept(HttpHeaders child) {
        HttpHeaders kept = new DefaultHttpHeaders();
        for (AsciiString name : KEPT) {
            List<String> values = child.getAll(name);
            if (!values.isEmpty()) {
                kept.set(name, values);
            }
        }
        return kept;
    }

    /**
     * Serves {@code target} for {@code request}, as a GET (a HEAD stays a HEAD), as nginx does on an internal
     * redirect: the file is the answer whatever the method the app answered.
     */
    public ChannelFuture serve(ChannelHandlerContext ctx, HttpRequest request, AliasRequest target, HttpHeaders kept) {
        HttpMethod method = HttpMethod.HEAD.equals(request.method()) ? HttpMethod.HEAD : HttpMethod.GET;
        HttpRequest get = new DefaultHttpRequest(request.protocolVersion(), method, request.uri(), request.headers());
        return service.serve(ctx, get, target, kept);
    }
}
