package dev.front.core.upstream;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the child is accepting connections. Requests that arrive while it is starting or restarting wait here
 * (up to {@code --queue-timeout}) instead of failing. The supervisor opens and closes the gate; waiters are resumed
 * on their own event loop.
 */
public final class ChildGate {

    private record Waiter(EventExecutor executor, Runnable resume) {
    }

    private final List<Waiter> waiters = new ArrayList<>();
    private boolean open;

    public ChildGate(boolean open) {
        this.open = open;
    }

    /** A gate for an upstream the front does not supervise: always open. */
    public static ChildGate alwaysOpen() {
        return new ChildGate(true);
    }

    public synchronized boolean isOpen() {
        return open;
    }

    /** The child accepts connections: resume every waiting request. */
    public void open() {
        List<Waiter> resumed;
        synchronized (this) {
            open = true;
            resumed = List.copyOf(waiters);
            waiters.clear();
        }
        for (Waiter waiter : resumed) {
            waiter.executor().execute(waiter.resume());
        }
    }

    /** The child is down (crashed, restarting, stopping): new requests wait. */
    public synchronized void close() {
        open = false;
    }

    /**
     * Runs {@code resume} on {@code executor} as soon as the gate is open (at once if it already is). The caller
     * keeps its own deadline; a resumed request that already timed out simply ignores the call.
     */
    public void whenOpen(EventExecutor executor, Runnable resume) {
        synchronized (this) {
            if (!open) {
                waiters.add(new Waiter(executor, resume));
                return;
            }
        }
        if (executor.inEventLoop()) {
            resume.run();
        } else {
            executor.execute(resume);
        }
    }
}
