package dev.front.launcher;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * TERM and INT ask the front to shut down. The JVM runs signal handlers on a thread of their own; they only run the
 * short first steps registered here (stop accepting) and release whoever waits for the stop.
 */
final class StopSignal {

    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile boolean requestedFlag;
    private final List<Runnable> firstSteps = new CopyOnWriteArrayList<>();

    static StopSignal install() {
        StopSignal stop = new StopSignal();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> stop.request());
        }
        return stop;
    }

    /** Runs {@code step} the moment a stop is requested, before waiters are released. */
    void onRequest(Runnable step) {
        firstSteps.add(step);
    }

    synchronized void request() {
        if (requestedFlag) {
            return;
        }
        requestedFlag = true; // before the steps: whoever they wake must see the request
        firstSteps.forEach(Runnable::run);
        requested.countDown();
    }

    boolean isRequested() {
        return requestedFlag;
    }

    void await() throws InterruptedException {
        requested.await();
    }

    /** Waits up to {@code millis}; true when a stop was requested. */
    boolean await(long millis) throws InterruptedException {
        return requested.await(millis, TimeUnit.MILLISECONDS);
    }
}
