package dev.front.core.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One child's address as the forwarding sees it, with what the supervisor needs to retire that child: which of its
 * connections carry a request now (a parked keep-alive connection does not, and is never reused once a newer
 * generation exists) and how many requests were sent to it ({@code --maximum-requests}).
 */
public final class UpstreamGeneration {

    private static final long IDLE_POLL_MILLIS = 10;

    private final SocketAddress address;
    /** Connections opened to this child that are not parked: a request is on them, or about to be. */
    private final Set<Channel> busy = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private volatile long requestLimit = Long.MAX_VALUE;
    private volatile Runnable onLimit;

    public UpstreamGeneration(SocketAddress address) {
        this.address = address;
    }

    public SocketAddress address() {
        return address;
    }

    /** A connection to this child was just made; it counts as busy until it is parked or closed. */
    public void opened(Channel channel) {
        busy.add(channel);
        channel.closeFuture().addListener((ChannelFutureListener) f -> busy.remove(channel));
    }

    public void parked(Channel channel) {
        busy.remove(channel);
    }

    public void unparked(Channel channel) {
        busy.add(channel);
        if (!channel.isOpen()) {
            busy.remove(channel); // closed between the check and the add: its close listener has already run
        }
    }

    /** A request was sent to this child; runs the {@link #whenRequests} action when the count reaches its limit. */
    public void requestSent() {
        if (requests.incrementAndGet() == requestLimit) {
            Runnable action = onLimit;
            if (action != null) {
                action.run();
            }
        }
    }

    /** Runs {@code action} once, on the thread that sends the {@code count}-th request (now, if that is past). */
    public void whenRequests(long count, Runnable action) {
        onLimit = action;
        requestLimit = count;
        if (requests.get() >= count) {
            onLimit = null;
            action.run();
        }
    }

    public long requests() {
        return requests.get();
    }

    /** Connections with a request on them now. */
    public int busy() {
        return busy.size();
    }

    /** Waits until no connection to this child carries a request, up to {@code timeout}; true when none does. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!busy.isEmpty()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(IDLE_POLL_MILLIS);
        }
        return true;
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
