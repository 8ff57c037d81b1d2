package dev.front.launcher;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.LongPredicate;

/**
 * Reaps orphans: processes re-parented to the front (as PID 1, or as a child subreaper) that exited and
 * would stay zombies forever. Scans {@code /proc/*}{@code /stat} on demand (SIGCHLD) and once a second, and
 * reaps each zombie child by pid once it has been a zombie for a short grace, which leaves any other waiter
 * in this JVM (java.lang.Process's reaper thread, a {@link ChildProcess}) time to collect its own status
 * first. Processes waited for by a ChildProcess are never touched.
 */
final class OrphanReaper implements AutoCloseable {

    static final Duration ZOMBIE_GRACE = Duration.ofMillis(200);
    static final Duration SCAN_PERIOD = Duration.ofSeconds(1);

    private final long self = Posix.getpid();
    private final LongPredicate waitedForElsewhere;
    private final Semaphore wakeUp = new Semaphore(0);
    private final AtomicLong reaped = new AtomicLong();
    private volatile IntConsumer onReaped = n -> { };
    private final Map<Long, Long> zombieSince = new HashMap<>(); // guarded by this
    private final Thread thread;
    private volatile boolean closed;

    private OrphanReaper(LongPredicate waitedForElsewhere) {
        this.waitedForElsewhere = waitedForElsewhere;
        this.thread = Thread.ofPlatform().name("front-orphan-reaper").daemon(true).unstarted(this::run);
    }

    /** Starts reaping, leaving alone every process a {@link ChildProcess} waits for. */
    static OrphanReaper start() {
        return start(ChildProcess::isWaitedFor);
    }

    /**
     * Starts reaping, leaving alone the processes waitedForElsewhere names. When the front is not PID 1 it
     * first becomes a child subreaper, or orphans would go to the real init and never reach us.
     */
    static OrphanReaper start(LongPredicate waitedForElsewhere) {
        OrphanReaper reaper = new OrphanReaper(waitedForElsewhere);
        if (reaper.self != 1) {
            try {
                Posix.becomeChildSubreaper();
            } catch (PosixException e) {
                // still worth running: our own children's zombies are reaped, only orphans escape us
                System.err.println("front: warning: not PID 1 and cannot become a child subreaper ("
                        + e.getMessage() + "); orphans of the child will not be reaped by the front");
            }
        }
        reaper.thread.start();
        return reaper;
    }

    /** Asks for a scan now (from the SIGCHLD handler's consumer); never blocks. */
    void requestScan() {
        wakeUp.release();
    }

    /** Tells {@code listener} of each orphan reaped (for the metrics). */
    void onReaped(IntConsumer listener) {
        this.onReaped = listener;
    }

    /** How many orphans were reaped so far. */
    long reapedCount() {
        return reaped.get();
    }

    /**
     * Reaps every zombie child now, without the grace: for the end of shutdown, when the child has been
     * waited for and nothing else of ours can still want a status.
     *
     * @return how many were reaped
     */
    synchronized int sweep() {
        int count = 0;
        for (ProcStat process : ProcStat.all()) {
            if (isOrphanZombie(process) && reap(process.pid())) {
                count++;
            }
        }
        zombieSince.clear();
        return count;
    }

    private void run() {
        long wait = SCAN_PERIOD.toNanos();
        while (!closed) {
            try {
                if (wakeUp.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                try {
                    wait = scan(System.nanoTime());
                } catch (RuntimeException e) {
                    System.err.println("front: orphan scan failed: " + e.getMessage());
                    wait = SCAN_PERIOD.toNanos();
                }
            }
        }
    }

    /** Reaps the zombies old enough; returns how long to sleep until the next one is due (or the period). */
    private synchronized long scan(long now) {
        long grace = ZOMBIE_GRACE.toNanos();
        long nextDue = SCAN_PERIOD.toNanos();
        Set<Long> seen = new HashSet<>();
        for (ProcStat process : ProcStat.all()) {
            if (!isOrphanZombie(process)) {
                continue;
            }
            long pid = process.pid();
            seen.add(pid);
            long age = now - zombieSince.computeIfAbsent(pid, p -> now);
            if (age >= grace) {
                reap(pid);
                seen.remove(pid);
            } else {
                nextDue = Math.min(nextDue, grace - age);
            }
        }
        zombieSince.keySet().retainAll(seen);
        return Math.max(nextDue, TimeUnit.MILLISECONDS.toNanos(10));
    }

    private boolean isOrphanZombie(ProcStat process) {
        return process.isZombie() && process.ppid() == self && !waitedForElsewhere.test(process.pid());
    }

    private boolean reap(long pid) {
        try {
            // A zombie's pid cannot be reused before it is reaped, so waiting by pid hits exactly it.
            if (Posix.waitpid(pid, Posix.WNOHANG).pid() == pid) {
                reaped.incrementAndGet();
                onReaped.accept(1);
                return true;
            }
        } catch (PosixException e) {
            if (e.errno() != Posix.ECHILD) { // ECHILD: its own waiter got it first, which is fine
                throw e;
            }
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
