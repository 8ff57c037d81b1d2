package dev.front.core.alias;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

/**
 * What the router calls for a request whose path falls under a {@code --url-alias}. Implemented by the static file
 * service (proxy-static), so that core never depends on it.
 *
 * <p>The router has already decoded and normalised the path and drained any request body. The service writes exactly
 * one complete response (keep-alive is handled by the pipeline) and returns the future of its last write; the router
 * reads the next pipelined request only when that future completes.
 */
@FunctionalInterface
public interface AliasService {

    ChannelFuture serve(ChannelHandlerContext ctx, HttpRequest request, AliasRequest target);

    /**
     * As {@link #serve(ChannelHandlerContext, HttpRequest, AliasRequest)}, for a file the child named
     * ({@link Offload}): {@code kept} are the child's headers that replace the service's own on a successful answer.
     */
    default ChannelFuture serve(ChannelHandlerContext ctx, HttpRequest request, AliasRequest target,
                                HttpHeaders kept) {
        return serve(ctx, request, target);
    }
}
