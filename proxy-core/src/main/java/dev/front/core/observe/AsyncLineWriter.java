package dev.front.core.observe;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes lines to a stream on a thread of its own, so an event loop never blocks on a slow stdout (a full pipe to
 * the container runtime). Lines are flushed whenever the queue runs empty: one write per burst, not per line. When
 * the queue is full the line is dropped and counted instead of stalling requests.
 */
final class AsyncLineWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("front");
    private static final String END = new String("end of the log"); // compared by identity

    private final BlockingQueue<String> queue;
    private final OutputStream out;
    private final Runnable dropped;
    private final Thread thread;

    /** @param dropped called (on the caller's thread) for each line that did not fit in the queue */
    AsyncLineWriter(OutputStream out, int capacity, Runnable dropped) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.dropped = dropped;
        this.thread = Thread.ofPlatform().name("front-access-log").daemon(true).start(this::drain);
    }

    /** Queues one line (without its line end). Never blocks. */
    void write(String line) {
        if (!queue.offer(line)) {
            dropped.run();
        }
    }

    private void drain() {
        try {
            while (true) {
                String line = queue.take();
                if (line == END) {
                    out.flush();
                    return;
                }
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.warn("access log: cannot write to stdout any more ({})", e.toString());
        }
    }

    /** Writes what is queued (up to one second), then stops the thread. */
    @Override
    public void close() {
        try {
            if (queue.offer(END, 1, TimeUnit.SECONDS)) {
                thread.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
