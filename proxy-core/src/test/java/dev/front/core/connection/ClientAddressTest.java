package dev.front.core.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void withoutAHeaderTheClientIsThePeer() {
        EmbeddedChannel channel = new EmbeddedChannel();

        assertThat(ClientAddress.of(channel)).isSameAs(channel.remoteAddress());
    }

    @Test
    void aHeaderNamesTheClientAndThePortAndLeavesThePipelineWithTheBytesAfterIt() {
        EmbeddedChannel channel = proxied();
        channel.attr(ListenerFacts.KEY).set(new ListenerFacts(true, 8443, false));

        channel.writeInbound(ascii("PROXY TCP4 203.0.113.7 192.0.2.1 51000 443\r\nGET / HTTP/1.1\r\n"));

        assertThat(ClientAddress.of(channel)).isEqualTo(new InetSocketAddress("203.0.113.7", 51000));
        assertThat(channel.attr(ListenerFacts.KEY).get()).isEqualTo(new ListenerFacts(true, 443, false));
        assertThat(channel.pipeline().get(HAProxyMessageDecoder.class)).isNull();
        assertThat(channel.pipeline().get(ProxyProtocolHandler.class)).isNull();
        ByteBuf rest = channel.readInbound();
        assertThat(rest.toString(StandardCharsets.US_ASCII)).isEqualTo("GET / HTTP/1.1\r\n");
        rest.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void unknownKeepsThePeer() {
        EmbeddedChannel channel = proxied();

        channel.writeInbound(ascii("PROXY UNKNOWN\r\n"));

        assertThat(ClientAddress.of(channel)).isSameAs(channel.remoteAddress());
        assertThat(channel.pipeline().get(ProxyProtocolHandler.class)).isNull();
    }

    @Test
    void somethingElseThanAHeaderClosesTheConnection() {
        EmbeddedChannel channel = proxied();

        channel.writeInbound(ascii("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));

        assertThat(channel.isOpen()).isFalse();
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void anHttp2StreamsClientIsItsConnections() {
        EmbeddedChannel connection = new EmbeddedChannel(Http2FrameCodecBuilder.forServer().build(),
                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
        ClientAddress.proxied(connection, new InetSocketAddress("198.51.100.9", 40000));

        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection)
                .handler(new ChannelInboundHandlerAdapter()).open().syncUninterruptibly().getNow();

        assertThat(ClientAddress.connection(stream)).isSameAs(connection);
        assertThat(ClientAddress.of(stream)).isEqualTo(new InetSocketAddress("198.51.100.9", 40000));
        connection.finishAndReleaseAll();
    }

    private static EmbeddedChannel proxied() {
        return new EmbeddedChannel(new HAProxyMessageDecoder(), new ProxyProtocolHandler());
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
