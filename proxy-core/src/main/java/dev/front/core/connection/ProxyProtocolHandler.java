package dev.front.core.connection;

import dev.front.config.Cidr;
import dev.front.config.IpAddresses;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --proxy-protocol}: sits right behind Netty's {@code HAProxyMessageDecoder} at the very front of a public
 * connection (before TLS: the balancer's header precedes the ClientHello). Takes the decoded header's client address
 * and destination port for the connection ({@link ClientAddress}, {@link ListenerFacts}) and leaves the pipeline
 * at the end of that read, as the decoder does. A header the decoder refuses, or anything but a header, closes the connection
 * without an answer: nothing spoken on it is HTTP yet.
 */
public final class ProxyProtocolHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocolHandler.class);

    /**
     * True when {@code peer} may send a PROXY header: it is in one of the {@code --trust-proxy} networks. Anyone
     * else could claim any client address, so their connections are closed before a byte is read.
     */
    public static boolean trustedPeer(SocketAddress peer, List<Cidr> networks) {
        if (!(peer instanceof InetSocketAddress address) || address.getAddress() == null) {
            return false;
        }
        byte[] bytes = IpAddresses.unmapped(address.getAddress().getAddress());
        for (Cidr network : networks) {
            if (network.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** The header was read: the handler leaves at the end of this read. */
    private boolean adopted;
    /** Bytes that followed the header in the same read went on to the handlers behind. */
    private boolean passedOn;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            // what followed the header, passed on by the decoder as it leaves
            passedOn = true;
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            adopt(ctx, header);
            adopted = true;
        } finally {
            header.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (adopted) {
            ctx.pipeline().remove(this);
            if (!passedOn && !ctx.channel().config().isAutoRead()) {
                // The header came alone: the handlers behind saw no read of theirs, so none of them asks for the
                // next one (the ClientHello, the request); without this the connection would wait for nothing.
                ctx.read();
            }
        }
        ctx.fireChannelReadComplete();
    }

    private static void adopt(ChannelHandlerContext ctx, HAProxyMessage header) {
        // LOCAL (v2) and UNKNOWN (v1 and v2) are the balancer's own connections, its health checks: the peer stays
        // the client. A UNIX socket address is no client address either.
        HAProxyProxiedProtocol protocol = header.proxiedProtocol();
        if (header.command() != HAProxyCommand.PROXY
                || (protocol != HAProxyProxiedProtocol.TCP4 && protocol != HAProxyProxiedProtocol.TCP6)) {
            return;
        }
        InetAddress client = InetAddress.ofLiteral(header.sourceAddress());
        ClientAddress.proxied(ctx.channel(), new InetSocketAddress(client, header.sourcePort()));
        ListenerFacts listener = ctx.channel().attr(ListenerFacts.KEY).get();
        if (listener != null) {
            // The port the client connected to on the balancer: the public port the child is told of.
            ctx.channel().attr(ListenerFacts.KEY).set(
                    new ListenerFacts(listener.tls(), header.destinationPort(), listener.believesForwarding()));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // No valid header (the decoder has already closed the connection): there is no one to answer.
        LOG.debug("PROXY protocol header from {} refused: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
