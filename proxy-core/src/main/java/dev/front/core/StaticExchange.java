package dev.front.core;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;

/** A request under an alias: drain the (rare) request body, then let the alias service answer. */
final class StaticExchange implements Exchange {

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final AliasRequest target;
    private final AliasService service;
    private final Runnable readMore;
    private final ChannelPromise done;

    StaticExchange(ChannelHandlerContext ctx, HttpRequest request, AliasRequest target, AliasService service,
                   Runnable readMore, ChannelPromise done) {
        this.readMore = readMore;
        this.ctx = ctx;
        this.request = request;
        this.target = target;
        this.service = service;
        this.done = done;
    }

    @Override
    public void begin() {
        readMore.run();
    }

    @Override
    public void content(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        content.release();
        if (!last) {
            readMore.run();
            return;
        }
        service.serve(ctx, request, target).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                done.trySuccess();
            } else {
                done.tryFailure(f.cause());
            }
        });
    }

    @Override
    public void abort() {
        done.tryFailure(new java.nio.channels.ClosedChannelException());
    }
}
