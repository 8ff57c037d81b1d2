package dev.front.core.h2;

import dev.front.config.Limits;
import dev.front.core.connection.HandlerNames;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.stream.ChunkedWriteHandler;

/** The HTTP/2 parts of a client pipeline, in the order {@link HandlerNames} describes. */
public final class Http2Pipelines {

    private Http2Pipelines() {
    }

    /**
     * Makes {@code p} an HTTP/2 connection whose streams each get {@code streams} (which must add
     * {@link #addStreamCodec} first). The handlers go in front of {@link HandlerNames#OBSERVER} when the pipeline has
     * it (it goes on counting the connection), else last. Frames are read as they come from then on: HTTP/2's flow
     * control, not the socket's reads, bounds what each stream holds before its router reads it.
     */
    public static void addConnection(ChannelPipeline p, Limits limits, ChannelHandler streams) {
        ChannelHandler[] handlers = {
                new GoawayLinger(),
                Http2Limits.frameCodec(limits.gracefulTimeout()),
                new ConnectionLife(limits.keepAliveTimeout().toNanos()),
                new Http2MultiplexHandler(streams)};
        String[] names = {HandlerNames.H2_LINGER, HandlerNames.H2_CODEC, HandlerNames.H2_CONNECTION, HandlerNames.H2_MULTIPLEX};
        for (int i = 0; i < handlers.length; i++) {
            if (p.get(HandlerNames.OBSERVER) != null) {
                p.addBefore(HandlerNames.OBSERVER, names[i], handlers[i]);
            } else {
                p.addLast(names[i], handlers[i]);
            }
        }
        p.channel().config().setAutoRead(true);
    }

    /**
     * The front of one stream's pipeline: HTTP/2 frames to the HTTP/1.1 objects the request handlers know and back,
     * file regions as read pieces, and requests shaped as the HTTP/1.1 codec gives them. The stream's reads are
     * asked for by its router, as on an HTTP/1.1 connection.
     */
    public static void addStreamCodec(ChannelPipeline p) {
        p.channel().config().setAutoRead(false);
        p.addLast(HandlerNames.H2_STREAM_CODEC, new Http2StreamFrameToHttpObjectCodec(true));
        p.addLast(HandlerNames.CHUNKED_WRITER, new ChunkedWriteHandler());
        p.addLast(HandlerNames.REGION_READER, new FileRegionChunks());
        p.addLast(HandlerNames.H2_REQUEST, new StreamRequests());
    }
}
