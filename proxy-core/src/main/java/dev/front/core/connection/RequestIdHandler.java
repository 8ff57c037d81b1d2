package dev.front.core.connection;

import dev.front.config.Cidr;
import dev.front.config.IpAddresses;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives every request an id ({@code --request-id-header}, {@code X-Request-ID} by default): the one a
 * {@code --trust-proxy} peer sent, when it is 1–200 visible ASCII characters, else a new random one. The request
 * carries it on to the child (the header is replaced, so the child sees exactly one), the response carries it back to
 * the client, and the access log and the front's error lines and pages name it ({@link RequestAttributes#REQUEST_ID}).
 * A client that is not a trusted proxy cannot choose its id: it could otherwise make its requests look like
 * someone else's in the logs.
 */
public final class RequestIdHandler extends ChannelDuplexHandler {

    static final int MAX_LENGTH = 200;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Hashed once: it is looked up and set on every request and response. */
    private final AsciiString header;
    private final List<Cidr> trustProxies;
    /** The ids of requests still waiting for their final responses, oldest first (pipelining). */
    private final ArrayDeque<String> pending = new ArrayDeque<>(2);

    /** @param trustProxies the {@code --trust-proxy} networks; empty: no peer may choose an id */
    public RequestIdHandler(String header, List<Cidr> trustProxies) {
        this.header = AsciiString.cached(header);
        this.trustProxies = trustProxies;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            HttpHeaders headers = request.headers();
            List<String> sent = headers.getAll(header);
            String id = sent.size() == 1 && valid(sent.get(0)) && trusted(ctx) ? sent.get(0) : newId();
            headers.set(header, id);
            pending.addLast(id);
            ctx.channel().attr(RequestAttributes.REQUEST_ID).set(id);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            String id = pending.pollFirst();
            if (id != null) {
                response.headers().set(header, id);
            }
            if (pending.isEmpty()) {
                // Answered: a failure before the next request is read (a head that never ends) belongs to none.
                ctx.channel().attr(RequestAttributes.REQUEST_ID).set(null);
            }
        }
        ctx.write(msg, promise);
    }

    private boolean trusted(ChannelHandlerContext ctx) {
        if (trustProxies.isEmpty() || !(ClientAddress.of(ctx.channel()) instanceof InetSocketAddress peer)) {
            return false;
        }
        InetAddress address = peer.getAddress();
        if (address == null) {
            return false;
        }
        byte[] bytes = IpAddresses.unmapped(address.getAddress());
        for (Cidr network : trustProxies) {
            if (network.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** 1 to {@value #MAX_LENGTH} visible ASCII characters: safe in a header, a log line and a file name. */
    static boolean valid(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** A random UUID (version 4), the form most tracing tools and routers (Heroku's among them) use. */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        char[] id = new char[36];
        int at = 0;
        for (int i = 0; i < 32; i++) {
            if (i == 8 || i == 12 || i == 16 || i == 20) {
                id[at++] = '-';
            }
            long word = i < 16 ? high : low;
            id[at++] = HEX[(int) (word >>> (60 - 4 * (i % 16))) & 0xF];
        }
        return new String(id);
    }
}
