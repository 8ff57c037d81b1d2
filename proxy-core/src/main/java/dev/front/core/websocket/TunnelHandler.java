package dev.front.core.websocket;

import dev.front.core.connection.Drain;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The only handler of a tunnel's side once its HTTP handlers are gone: bytes read here are written, as they are, to
 * the other side. Reads are driven by the other side's room (auto-read is off): the next read is asked for after a
 * read burst only while the other side is writable, else when it becomes writable again, so neither side ever
 * buffers more than its high water mark for the other.
 */
final class TunnelHandler extends ChannelInboundHandlerAdapter {

    private final WebSocketTunnel tunnel;
    private TunnelHandler peer;
    private Channel channel;
    /** Until the tunnel is open, whatever reaches the client's side was read as HTTP before the 101: refused. */
    private boolean open;
    private boolean early;
    private boolean inputEnded;

    TunnelHandler(WebSocketTunnel tunnel, boolean open) {
        this.tunnel = tunnel;
        this.open = open;
    }

    void peer(TunnelHandler peer) {
        this.peer = peer;
    }

    /** Bytes may flow from now on. */
    void open() {
        open = true;
    }

    /** Whether anything reached this side before {@link #open()}: bytes the client sent before the child's 101. */
    boolean sawEarlyBytes() {
        return early;
    }

    /** Asks this side for more bytes, unless it has no more to give. */
    void read() {
        if (!inputEnded && channel.isActive()) {
            channel.read();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!open || !(msg instanceof ByteBuf)) {
            // Decoded HTTP, or raw bytes the codec had not decoded yet: never passed on as tunnel bytes.
            early = true;
            ReferenceCountUtil.release(msg);
            return;
        }
        peer.channel.write(msg, peer.channel.voidPromise()); // a failed write reaches the peer's exceptionCaught
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!open) {
            return;
        }
        peer.channel.flush(); // once per read burst
        if (peer.channel.isWritable()) {
            read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (open && ctx.channel().isWritable()) {
            peer.read(); // the bytes this side held back for are out: the other side may send more
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            inputEnded = true;
            tunnel.inputEnded(this);
        } else if (evt instanceof IdleStateEvent || evt == Drain.EVENT) {
            tunnel.close(); // quiet for the idle timeout, or the front is stopping: a tunnel has no natural end
        } else if (evt != ChannelInputShutdownReadComplete.INSTANCE) {
            ctx.fireUserEventTriggered(evt);
        }
    }

    boolean inputEnded() {
        return inputEnded;
    }

    Channel channel() {
        return channel;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        tunnel.close();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        tunnel.close(); // a reset, or a write to the other side that failed
    }
}
