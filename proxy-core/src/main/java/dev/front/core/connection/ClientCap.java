package dev.front.core.connection;

import dev.front.core.http.Failure;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --max-clients}: counts the client connections open at once and refuses one more. A refused connection is
 * accepted, answered {@code 503} with {@code Retry-After} and an error id before its request is read, and closed
 * lingering ({@link LingeringClose}). Rather than leaving it unaccepted in the listen backlog as Apache and nginx do:
 * there the client waits without a word until a connection frees or its own timeout fires, and a router in front
 * cannot tell a full front from a dead one; a 503 says at once to come back, and is counted.
 */
public final class ClientCap {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final Runnable refusedCounter;

    /** @param refusedCounter counts one refused connection ({@code front_clients_refused_total}) */
    public ClientCap(int max, Runnable refusedCounter) {
        this.max = max;
        this.refusedCounter = refusedCounter;
    }

    /**
     * Takes a place for {@code client}, given back when it closes; false when all are taken, and then {@code client}
     * holds only the refusal: its pipeline gets nothing else.
     */
    public boolean admit(Channel client) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet(); // a refused connection, lingering, does not keep a place from the next one
            refusedCounter.run();
            client.pipeline().addLast(HandlerNames.CLIENT_CAP, new Refusal(max));
            return false;
        }
        client.closeFuture().addListener(f -> open.decrementAndGet());
        return true;
    }

    /** Writes the 503 as bytes (the refused connection has no HTTP codec) and closes lingering. */
    private static final class Refusal extends ChannelInboundHandlerAdapter {

        private final int max;

        Refusal(int max) {
            this.max = max;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Failure failure = Failure.tooManyClients(max);
            String id = ErrorResponses.report(ctx.channel(), failure, null);
            String body = ErrorResponses.text(failure.status(), id, null);
            String head = "HTTP/1.1 " + failure.status() + "\r\n"
                    + "content-type: text/plain; charset=utf-8\r\n"
                    + "content-length: " + body.length() + "\r\n"
                    + "cache-control: no-store\r\n"
                    + ErrorResponses.ERROR_ID_HEADER + ": " + id + "\r\n"
                    + "retry-after: " + failure.retryAfterSeconds() + "\r\n"
                    + "connection: close\r\n\r\n";
            ByteBuf bytes = Unpooled.copiedBuffer(head + body, StandardCharsets.US_ASCII);
            ctx.writeAndFlush(bytes).addListener(LingeringClose.AFTER_WRITE);
        }
    }
}
