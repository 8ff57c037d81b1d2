package dev.front.core.upstream;

import dev.front.config.ForwardingConfig;
import dev.front.config.Limits;
import dev.front.core.alias.Offload;
import dev.front.core.connection.Exchange;
import dev.front.core.connection.HandlerNames;
import dev.front.core.observe.FrontMetrics;
import dev.front.core.transport.EmptyWriteFilter;
import dev.front.core.transport.Transport;
import dev.front.core.trust.ProxyHeaderPolicy;
import dev.front.core.trust.TrustAlarm;
import dev.front.core.websocket.TunnelCap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * Forwards requests that match no alias to the upstream. Owns what all exchanges share: where the upstream is,
 * whether to wait for a supervised child, the policy for forwarded headers, and the one idle child connection a
 * client connection may keep (only when the child speaks keep-alive).
 */
public final class ForwardingService {

    /** A child connection kept for the next request of the same client connection. */
    private static final AttributeKey<Channel> PARKED = AttributeKey.valueOf("front.parkedUpstream");
    /**
     * The child connections an HTTP/2 connection keeps for its next streams, most recently used last. Its streams
     * run on its event loop, so the deque is only ever touched from there.
     */
    private static final AttributeKey<ArrayDeque<Channel>> PARKED_FOR_STREAMS =
            AttributeKey.valueOf("front.parkedForStreams");
    /** HTTP/2's concurrent streams per connection: more child connections are never useful to one connection. */
    private static final int MAX_PARKED_FOR_STREAMS = 100;
    /** Which child a child connection goes to: one of an older generation is never parked or reused. */
    private static final AttributeKey<UpstreamGeneration> GENERATION = AttributeKey.valueOf("front.upstreamGeneration");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("front.forwarding");

    /** The child's response head may be larger than a request's; the codec only reads this configuration. */
    private static final HttpDecoderConfig UPSTREAM_DECODER = new HttpDecoderConfig()
            .setMaxInitialLineLength(8192)
            .setMaxHeaderSize(65536)
            .setMaxChunkSize(65536)
            .setStrictLineParsing(true)
            .setUseRfc9112TransferEncoding(true);

    /**
     * Read on every connect, from every event loop; switched by the supervisor when a restarted child changes port
     * or a new child replaces the old one.
     */
    private volatile UpstreamGeneration generation;
    private final ProxyHeaderPolicy policy;
    private final Limits limits;
    private final ForwardingConfig config;
    private final ConcurrencyLimiter limiter;
    /** {@code null} when WebSocket tunnelling is off ({@code --websocket} not given). */
    private final TunnelCap webSockets;
    private final ChildGate gate;
    private final boolean supervised;
    private final int listenerPort;

    private final FrontMetrics metrics;
    private final TrustAlarm trustAlarm;
    private final ChannelFactory<? extends Channel> upstreamChannels;
    /** Set once, before the first request, for an upstream the front does not supervise; else {@code null}. */
    private volatile UpstreamWatch watch;
    /** io_uring sends an empty buffer as a zero-length send, which can fail on a child that already hung up. */
    private final boolean filterEmptyWrites;

    /** {@code --sendfile-header}: set once before the first request; {@code null} when off. */
    private Offload offload;

    /**
     * @param supervised true when the front spawned the child: a request that waited {@code --queue-timeout} for a
     *                   refusing child is then told 503 (it is restarting); for a sidecar upstream it is a 502
     */
    public ForwardingService(Transport transport, SocketAddress upstreamAddress, ProxyHeaderPolicy policy,
                             Limits limits, ForwardingConfig config, ChildGate gate, boolean supervised,
                             int listenerPort, FrontMetrics metrics) {
        this.metrics = metrics;
        this.trustAlarm = new TrustAlarm(metrics::forwardingHeadersDropped, LOG, System::nanoTime);
        this.upstreamChannels = new ReflectiveChannelFactory<>(transport.channelFor(upstreamAddress));
        this.filterEmptyWrites = transport.name().equals("io_uring");
        this.config = config;
        this.limiter = new ConcurrencyLimiter(config.maxConcurrency());
        metrics.watchSaturation(limiter::saturation);
        this.webSockets = config.webSocket() ? new TunnelCap(config.maxWebSockets()) : null;
        this.generation = new UpstreamGeneration(upstreamAddress);
        this.policy = policy;
        this.limits = limits;
        this.gate = gate;
        this.supervised = supervised;
        this.listenerPort = listenerPort;
    }

    /**
     * Sends every later request, including those queued meanwhile, to a child at {@code address}: a new child that
     * replaces the old one, or the same child restarted on another loopback port because the old one was still
     * held. Requests on the previous address's connections finish there; its parked connections are not reused.
     *
     * @return the previous generation, to wait until no request is on it before its child is stopped
     * @throws IllegalArgumentException {@code address} is another kind than the current one: the channel factory
     *                                  made for a TCP upstream cannot reach a Unix socket, nor the other way round
     */
    public UpstreamGeneration switchUpstream(SocketAddress address) {
        UpstreamGeneration previous = generation;
        if (address.getClass() != previous.address().getClass()) {
            throw new IllegalArgumentException("upstream: " + address + " (expected: the same kind of address as "
                    + previous.address() + ")");
        }
        generation = new UpstreamGeneration(address);
        return previous;
    }

    /** Where new requests go now. */
    public UpstreamGeneration upstream() {
        return generation;
    }

    /**
     * Watches an upstream the front does not supervise ({@link UpstreamWatch}), probing it from {@code loop} once
     * {@link UpstreamWatch#start started}. Called once, before the public listener opens.
     */
    public UpstreamWatch watchUpstream(EventLoop loop) {
        UpstreamWatch created = new UpstreamWatch(upstreamName(), limits.queueTimeout(), () -> connect(loop), loop);
        watch = created;
        return created;
    }

    /** How the log and the error lines name the upstream: "upstream 127.0.0.1:8000", "the child on unix:/...". */
    String upstreamName() {
        return (supervised ? "the child on " : "upstream ") + Transport.text(generation.address());
    }

    public Exchange start(ChannelHandlerContext ctx, HttpRequest request, String originForm, Runnable readMore,
                   ChannelPromise done) {
        return new ForwardExchange(ctx, request, originForm, this, readMore, done);
    }

    FrontMetrics metrics() {
        return metrics;
    }

    TrustAlarm trustAlarm() {
        return trustAlarm;
    }

    ProxyHeaderPolicy policy() {
        return policy;
    }

    Limits limits() {
        return limits;
    }

    /** Turns file offload on ({@code --sendfile-header}); called once, before the listener starts. */
    public void offload(Offload offload) {
        this.offload = offload;
    }

    /** {@code null} without {@code --sendfile-header}. */
    Offload offload() {
        return offload;
    }

    ForwardingConfig config() {
        return config;
    }

    ConcurrencyLimiter limiter() {
        return limiter;
    }

    /** The cap on open WebSocket tunnels, or {@code null} when every {@code Upgrade} is removed. */
    TunnelCap webSockets() {
        return webSockets;
    }

    org.slf4j.Logger log() {
        return LOG;
    }

    ChildGate gate() {
        return gate;
    }

    boolean supervised() {
        return supervised;
    }

    int listenerPort() {
        return listenerPort;
    }

    /** The parked child connection of this client connection, if it is still usable; it is un-parked. */
    Channel takeParked(Channel client) {
        if (client instanceof Http2StreamChannel stream) {
            ArrayDeque<Channel> parked = stream.parent().attr(PARKED_FOR_STREAMS).get();
            Channel usable = null;
            for (Channel next; usable == null && parked != null && (next = parked.pollLast()) != null; ) {
                usable = usable(next);
            }
            return usable;
        }
        return usable(client.attr(PARKED).getAndSet(null));
    }

    private Channel usable(Channel parked) {
        if (parked != null && (!parked.isActive() || parked.attr(GENERATION).get() != generation)) {
            parked.close(); // closed by the child, or a connection to a child that has been replaced
            return null;
        }
        if (parked != null) {
            parked.attr(GENERATION).get().unparked(parked);
        }
        return parked;
    }

    /**
     * Keeps {@code upstream} for the next request of {@code client}; closed with the client connection. A parked
     * connection that the child closes meanwhile stays here until {@link #takeParked} finds it inactive: a listener
     * on its close future instead would be added once per request and pile up on a long-lived connection.
     */
    void park(Channel client, Channel upstream) {
        boolean stream = client instanceof Http2StreamChannel;
        client = connectionOf(client);
        upstream.pipeline().get(UpstreamHandler.class).detach();
        UpstreamGeneration owner = upstream.attr(GENERATION).get();
        if (!client.isActive() || owner != generation) {
            upstream.close();
            return;
        }
        if (stream) {
            // As many as its streams used at once, as that many HTTP/1.1 connections would each keep one.
            ArrayDeque<Channel> parked = client.attr(PARKED_FOR_STREAMS).get();
            if (parked == null) {
                parked = new ArrayDeque<>(4);
                client.attr(PARKED_FOR_STREAMS).set(parked);
            }
            if (parked.size() >= MAX_PARKED_FOR_STREAMS) {
                parked.pollFirst().close();
            }
            parked.addLast(upstream);
        } else {
            Channel previous = client.attr(PARKED).getAndSet(upstream);
            if (previous != null && previous != upstream) {
                previous.close();
            }
        }
        owner.parked(upstream);
        // A read stays pending while parked: the child has nothing to say until the next request, so whatever it
        // sends retires the connection at once (UpstreamHandler), and the socket's read interest is not switched
        // off and on again around every request (an epoll_ctl each way).
        upstream.read();
    }

    /**
     * Opens a new child connection on the client's own event loop (one thread for both sides). A sync worker closes
     * after every response, so this runs once per request: the channel is built and connected directly, without a
     * {@code Bootstrap}, whose resolver lookup, initializer handler and connect task (one more trip through the
     * loop's task queue) cost more than the connect itself over a Unix socket.
     */
    ChannelFuture connect(EventLoop loop) {
        UpstreamGeneration target = generation;
        Channel channel = upstreamChannels.newChannel();
        channel.attr(GENERATION).set(target);
        target.opened(channel);
        ChannelConfig options = channel.config();
        options.setAutoRead(false);
        options.setConnectTimeoutMillis(5_000);
        // TCP_NODELAY is on already: Netty's socket channels set it when they are made (one setsockopt per request
        // less than asking again, as a sync worker costs a connection per request).
        if (filterEmptyWrites) {
            channel.pipeline().addLast(HandlerNames.EMPTY_WRITES, new EmptyWriteFilter());
        }
        channel.pipeline()
                .addLast(HandlerNames.UPSTREAM_CODEC, new UpstreamCodec(UPSTREAM_DECODER))
                .addLast(HandlerNames.UPSTREAM, new UpstreamHandler());
        ChannelPromise connected = channel.newPromise();
        UpstreamWatch watching = watch;
        if (watching != null) {
            connected.addListener(watching); // a sidecar's refusals are said once and fail /readyz
        }
        // Netty closes a channel whose connect failed only where the failure is immediate (epoll and NIO over
        // loopback); io_uring reports every failure later, and without this listener (Bootstrap's) each refused
        // connect kept its socket until the front exited.
        connected.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        loop.register(channel).addListener((ChannelFutureListener) registered -> {
            if (registered.isSuccess()) {
                channel.connect(target.address(), connected);
            } else {
                channel.unsafe().closeForcibly();
                connected.setFailure(registered.cause());
            }
        });
        return connected;
    }

    /** A request went out on {@code upstream}: counted for its child ({@code --maximum-requests}). */
    void requestSent(Channel upstream) {
        UpstreamGeneration owner = upstream.attr(GENERATION).get();
        if (owner != null) {
            owner.requestSent();
        }
    }

    /**
     * The client connection a request came on: an HTTP/2 stream's is its parent, so that the streams of one
     * connection reuse its parked child connection as HTTP/1.1's requests do.
     */
    private static Channel connectionOf(Channel client) {
        return client instanceof Http2StreamChannel stream ? stream.parent() : client;
    }

    /** Hook for the client connection: closes its parked child connection (nothing for an HTTP/2 stream). */
    public static void clientClosed(Channel client) {
        Channel parked = client.attr(PARKED).getAndSet(null);
        if (parked != null) {
            parked.close();
        }
        ArrayDeque<Channel> forStreams = client.attr(PARKED_FOR_STREAMS).getAndSet(null);
        if (forStreams != null) {
            forStreams.forEach(Channel::close);
        }
    }
}
