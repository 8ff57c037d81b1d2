package dev.front.core.websocket;

import dev.front.core.connection.ErrorResponses;
import dev.front.core.connection.HandlerNames;
import dev.front.core.http.ClientCodec;
import dev.front.core.http.Failure;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket connection after the child's {@code 101}: both connections lose their HTTP handlers and relay raw
 * bytes both ways (see {@link TunnelHandler}), a half-close on one side is passed on to the other, and the tunnel
 * ends (and leaves the {@link TunnelCap}) when either side closes or resets, when no byte moves either way for the
 * idle timeout, or when the front stops. Both connections are on one event loop, so nothing here is shared.
 */
public final class WebSocketTunnel {

    /** The client's HTTP handlers, removed last to first so what one still holds reaches the tunnel handler. */
    private static final List<String> CLIENT_HTTP_HANDLERS = List.of(HandlerNames.ROUTER, HandlerNames.COMPRESS,
            HandlerNames.KEEP_ALIVE, HandlerNames.FLOW);
    private static final List<String> CLIENT_BYTE_HANDLERS = List.of(HandlerNames.OBS_FOLD,
            HandlerNames.REQUEST_WAIT);

    private final Channel client;
    private final Channel child;
    private final TunnelCap.Permit permit;
    private final TunnelHandler clientSide = new TunnelHandler(this, false);
    private final TunnelHandler childSide = new TunnelHandler(this, true);
    private boolean closed;

    private WebSocketTunnel(Channel client, Channel child, TunnelCap.Permit permit) {
        this.client = client;
        this.child = child;
        this.permit = permit;
        clientSide.peer(childSide);
        childSide.peer(clientSide);
    }

    /**
     * Switches {@code client} and {@code child} to a tunnel and sends {@code switching} (the 101) to the client,
     * unless the client sent bytes after its handshake that the front had already read as HTTP: those can be
     * neither answered as HTTP (the connection is no longer HTTP) nor passed on raw (they were meant as HTTP: a
     * request smuggled behind the upgrade), so the client then gets 400 and both connections close. Must run on the
     * event loop of both channels, while the child's codec is delivering the end of the 101.
     *
     * @param idleTimeout no byte either way for this long closes the tunnel; zero: never
     */
    public static void open(Channel client, Channel child, FullHttpResponse switching, TunnelCap.Permit permit,
                     Duration idleTimeout) {
        new WebSocketTunnel(client, child, permit).start(switching, idleTimeout);
    }

    private void start(FullHttpResponse switching, Duration idleTimeout) {
        ChannelPipeline pipeline = client.pipeline();
        pipeline.addLast(HandlerNames.TUNNEL, clientSide);
        // What the HTTP handlers still hold (requests decoded and queued, bytes not decoded yet) is fired on to the
        // tunnel handler as they go, which marks it early instead of relaying it.
        for (String name : CLIENT_HTTP_HANDLERS) {
            removeIfPresent(pipeline, name);
        }
        ClientCodec codec = pipeline.get(ClientCodec.class);
        codec.removeInboundHandler(); // its encoder stays for the answer below
        for (String name : CLIENT_BYTE_HANDLERS) {
            removeIfPresent(pipeline, name);
        }
        ChannelHandlerContext tunnelContext = pipeline.context(clientSide);
        if (clientSide.sawEarlyBytes()) {
            switching.release();
            closed = true; // the tunnel never opened: the client's connection closes once its answer is out
            permit.release();
            child.close();
            ErrorResponses.send(tunnelContext, Failure.earlyWebSocketBytes(), true);
            return;
        }
        tunnelContext.writeAndFlush(switching); // encoded at once, on this thread: the codec may go right after
        pipeline.remove(codec);
        pipeline.addFirst(HandlerNames.IDLE,
                new IdleStateHandler(true, 0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
        client.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        child.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        clientSide.open();

        // The child may have sent its first frames with the 101: its codec hands them on as it is removed.
        ChannelPipeline childPipeline = child.pipeline();
        childPipeline.addLast(HandlerNames.TUNNEL, childSide);
        childPipeline.remove(HandlerNames.UPSTREAM);
        childPipeline.remove(HandlerNames.UPSTREAM_CODEC);
        client.flush();
        clientSide.read();
        childSide.read();
    }

    private static void removeIfPresent(ChannelPipeline pipeline, String name) {
        if (pipeline.get(name) != null) {
            pipeline.remove(name);
        }
    }

    /**
     * One side sent its last byte (a half-close): once what it sent is out, the other side's output is shut too, so
     * the end travels on; when both have ended, the tunnel closes.
     */
    void inputEnded(TunnelHandler side) {
        TunnelHandler other = side == clientSide ? childSide : clientSide;
        Channel target = other.channel();
        target.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() || !(target instanceof DuplexChannel duplex)) {
                close();
            } else if (other.inputEnded()) {
                close();
            } else {
                duplex.shutdownOutput();
            }
        });
    }

    /** Ends the tunnel: both connections close and its place under the cap is free. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        permit.release();
        client.close();
        child.close();
    }
}
