package dev.front.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.front.config.ForwardedConfig;
import dev.front.config.ForwardingConfig;
import dev.front.config.IoTransport;
import dev.front.config.Limits;
import dev.front.core.observe.FrontMetrics;
import dev.front.core.observe.PrometheusMetrics;
import dev.front.core.transport.Transport;
import dev.front.core.trust.ProxyHeaderPolicy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ForwardingServiceTest {

    @ParameterizedTest
    @EnumSource(value = IoTransport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void aChildConnectionIsOpenOnTheGivenLoopWithNagleOffAndNoAutoRead(IoTransport option) throws Exception {
        Transport transport = available(option);
        EventLoopGroup group = transport.newGroup(1, "test-io");
        try (ServerSocket child = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ForwardingService service = new ForwardingService(transport,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), child.getLocalPort()),
                    new ProxyHeaderPolicy(ForwardedConfig.defaults()), Limits.defaults(),
                    ForwardingConfig.defaults(), ChildGate.alwaysOpen(), false, 8080, new PrometheusMetrics());
            var loop = group.next();
            Channel channel = loop.submit(() -> service.connect(loop)).get().sync().channel();
            try (Socket accepted = child.accept()) {
                assertThat(channel.isActive()).isTrue();
                assertThat(channel.eventLoop()).isSameAs(loop);
                // the front relies on the transport's default: a request's last segment must not wait for an ACK
                assertThat(channel.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
                assertThat(channel.config().isAutoRead()).isFalse();
                assertThat(channel.pipeline().get(UpstreamHandler.class)).isNotNull();
            } finally {
                channel.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aMovedUpstreamIsWhereTheNextConnectGoesAndStaysTcp() throws Exception {
        Transport transport = Transport.of(IoTransport.AUTO);
        EventLoopGroup group = transport.newGroup(1, "test-io");
        try (ServerSocket old = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket moved = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ForwardingService service = new ForwardingService(transport,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), old.getLocalPort()),
                    new ProxyHeaderPolicy(ForwardedConfig.defaults()), Limits.defaults(),
                    ForwardingConfig.defaults(), ChildGate.alwaysOpen(), true, 8080, new PrometheusMetrics());
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), moved.getLocalPort());
            service.switchUpstream(target);
            var loop = group.next();
            Channel channel = loop.submit(() -> service.connect(loop)).get().sync().channel();
            try (Socket accepted = moved.accept()) {
                assertThat(channel.remoteAddress()).isEqualTo(target);
                assertThat(accepted.getPort()).isEqualTo(((InetSocketAddress) channel.localAddress()).getPort());
            } finally {
                channel.close().sync();
            }
            // the channel factory was made for TCP: a Unix socket cannot be reached with it
            assertThatThrownBy(() -> service.switchUpstream(UnixDomainSocketAddress.of("/tmp/front-child.sock")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("upstream: /tmp/front-child.sock (expected: the same kind of address as");
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    /** The transport, or the test skipped where this kernel or container does not offer it. */
    private static Transport available(IoTransport option) {
        try {
            return Transport.of(option);
        } catch (IllegalArgumentException e) {
            org.junit.jupiter.api.Assumptions.abort(e.getMessage());
            throw e;
        }
    }
}
