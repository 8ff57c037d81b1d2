package dev.front.launcher;

import dev.front.config.ReloadConfig;
import dev.front.core.observe.FrontMetrics;
import dev.front.core.observe.ReloadOutcome;
import dev.front.core.admin.ReloadRequests;
import dev.front.core.upstream.ChildGate;
import dev.front.core.upstream.UpstreamGeneration;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs the child as its init would: spawn it clean ({@link ChildProcess}), relay signals to it
 * ({@link SignalRelay}), reap whatever it orphans ({@link OrphanReaper}), open the gate for requests once its
 * port or socket ({@link ChildAddress}) accepts connections, restart it after a crash ({@link RestartPolicy}), and on TERM/INT drain, stop it
 * within {@code --graceful-timeout} and clean up its group ({@link ChildStopper}). On HUP, {@code POST /reload} or a
 * recycling limit it replaces the child with a new one without failing a request ({@link ChildReplacement}).
 *
 * <p>Returns the status the front exits with: the child's (128+N for a death by signal N), 127/126 when the
 * command cannot be found/executed, 1 when it never accepted connections within {@code --startup-timeout}.
 * It never returns while the child runs: PID 1's exit would SIGKILL everything in the container.
 */
final class Supervisor {

    /** Where the forwarding sends requests; the supervisor points it at each new child. */
    interface Upstream {

        /** A restarted child listens elsewhere: later connects go there (the old child is gone). */
        void move(ChildAddress address);

        /** A new child replaces the serving one: returns the old one's generation, to drain it. */
        UpstreamGeneration switchTo(ChildAddress address);

        /** Where requests go now. */
        UpstreamGeneration current();
    }

    /** Waits for requests in flight to finish, up to a timeout; true when none is left. */
    @FunctionalInterface
    interface Drain {
        boolean await(Duration timeout) throws InterruptedException;
    }

    /** However long draining took, the child gets at least this long to stop before SIGKILL. */
    static final Duration MIN_CHILD_GRACE = Duration.ofSeconds(1);
    /** After a switch, before the old child's connections are counted: see {@link #retire}. */
    static final long RETIRE_SETTLE_MILLIS = 50;

    private static final Logger log = LoggerFactory.getLogger("front");

    private final ChildCommand command;
    /** Where the next child listens; only this thread changes it (see {@link #moveIfHeld}). */
    private ChildAddress address;
    /** The address the front made before the supervisor ran: the front removes it at exit, the supervisor the others. */
    private final ChildAddress initialAddress;
    private final Upstream upstream;
    private final ReloadConfig reload;
    private final ReloadRequests reloads;
    /** {@code --memory-limit} in bytes; 0 for none. */
    private final long memoryLimit;
    private final Duration startupTimeout;
    private final Duration gracefulTimeout;
    private final ChildGate gate;
    private final Drain drain;
    private final int stopSignal; // the child's own (waitress: INT), see ServerPreset#stopSignal
    private final RestartPolicy restarts;
    private final FrontMetrics metrics;
    private volatile ChildProcess current;

    /**
     * @param drain   waits for requests in flight before the child is told to stop
     * @param metrics counts restarts and reaped orphans
     * @param upstream    points the forwarding at a restarted or replacing child's address
     * @param reloads     asks for replacements (HUP, POST /reload); the supervisor adds its recycling limits
     * @param memoryLimit {@code --memory-limit} resolved to bytes, 0 for none
     */
    Supervisor(ChildCommand command, ChildAddress address, Duration startupTimeout, Duration gracefulTimeout,
               ChildGate gate, Drain drain, FrontMetrics metrics, Upstream upstream, ReloadConfig reload,
               ReloadRequests reloads, long memoryLimit) {
        this.initialAddress = address;
        this.upstream = upstream;
        this.reload = reload;
        this.reloads = reloads;
        this.memoryLimit = memoryLimit;
        this.metrics = metrics;
        this.command = command;
        this.address = address;
        this.startupTimeout = startupTimeout;
        this.gracefulTimeout = gracefulTimeout;
        this.gate = gate;
        this.drain = drain;
        this.stopSignal = new Signal(command.stopSignal()).getNumber();
        this.restarts = new RestartPolicy();
    }

    int run(StopSignal stop) throws InterruptedException {
        // Woken by the child's exit and by a stop request (a request is visible before its steps run).
        Semaphore wake = new Semaphore(0);
        stop.onRequest(wake::release);
        reloads.onRequest(wake::release);
        OrphanReaper reaper = OrphanReaper.start();
        reaper.onReaped(metrics::orphansReaped);
        SignalRelay relay = SignalRelay.install(() -> Optional.ofNullable(current), new SignalRelay.Listener() {
            @Override
            public void shutdownRequested(int signal) {
                stop.request();
                wake.release();
            }

            @Override
            public void childStateChanged() {
                reaper.requestScan();
            }

            @Override
            public boolean hangUp() {
                if (reload.onHup() != ReloadConfig.OnHup.REPLACE) {
                    return false;
                }
                reloads.request("HUP");
                return true;
            }
        }, stopSignal, System.err);
        try {
            return supervise(stop, wake, new ChildStopper(reaper::sweep, System.err));
        } finally {
            // whoever still waits for a replacement learns that none will come
            reloads.take().complete(ReloadOutcome.stopping(current == null ? 0 : current.pid(), 0));
            if (address != initialAddress) {
                address.close();
            }
            relay.close();
            int swept = reaper.sweep();
            log.info("reaped {} orphaned processes in all", reaper.reapedCount() + swept);
            reaper.close();
        }
    }

    private int supervise(StopSignal stop, Semaphore wake, ChildStopper stopper) throws InterruptedException {
        while (true) {
            ChildProcess spawned;
            try {
                address.prepareSpawn();
            } catch (IOException e) {
                // the next child will most likely fail to bind; its exit is then handled like any other
                log.warn("cannot remove the previous child's socket at {}: {}", address, e.toString());
            }
            try {
                spawned = ChildProcess.spawn(command.argv(address), command.environment(address),
                        command.workingDirectory());
            } catch (SpawnException e) {
                System.err.println("front: " + e.getMessage());
                return e.exitStatus();
            }
            ChildProcess child = spawned;
            current = child;
            child.onExit().thenRun(wake::release);
            long started = System.nanoTime();
            log.info("child started: pid {} on {}", child.pid(), address);

            boolean ready = Readiness.await(address.probe(), startupTimeout,
                    () -> !spawned.isAlive() || stop.isRequested());
            if (ready) {
                gate.open();
                log.info("child ready on {}", address);
            } else if (child.isAlive() && !stop.isRequested()) {
                System.err.println("front: the child did not accept connections on " + address
                        + " within --startup-timeout " + startupTimeout.toMillis() / 1000.0 + "s");
                stopper.stop(child, stopSignal, gracefulTimeout);
                return 1;
            }
            Recycling recycling = ready ? new Recycling() : null;
            while (child.isAlive() && !stop.isRequested()) {
                if (ready && reloads.isPending()) {
                    ChildProcess serving = replace(child, stop, wake, stopper);
                    if (serving != child) {
                        started = System.nanoTime();
                    }
                    child = serving;
                    recycling = new Recycling();
                    continue;
                }
                if (recycling != null) {
                    recycling.check(child);
                }
                // timed: a stop requested some other way than through the relay is still seen within a second
                wake.tryAcquire(1, TimeUnit.SECONDS);
            }
            gate.close();
            if (stop.isRequested()) {
                return shutDown(child, stopper);
            }

            int status = child.waitFor();
            stopper.cleanUpGroup(child);
            Duration ran = Duration.ofNanos(System.nanoTime() - started);
            switch (restarts.onExit(status, ran, ready)) {
                case RestartPolicy.GiveUp giveUp -> {
                    System.err.println("front: the child exited with status " + status + "; not restarting: "
                            + giveUp.reason());
                    return status;
                }
                case RestartPolicy.Restart restart -> {
                    System.err.println("front: the child exited with status " + status + "; restarting in "
                            + restart.delay().toMillis() / 1000.0 + "s (restart " + restart.attempt() + " of at most "
                            + restart.retries() + " in a row)");
                    metrics.childRestarted();
                    if (stop.await(restart.delay().toMillis())) {
                        return status; // asked to stop while nothing runs: report how the child ended
                    }
                    moveIfHeld(); // after the delay: a leftover that exits meanwhile costs no move
                }
            }
        }
    }

    /**
     * Before a restart: a port the front picked that something still holds (a worker of the crashed child that left
     * its session keeps the listening socket) is given up for a free one, or every restart would fail to bind. The
     * gate is closed meanwhile, so no request connects before the forwarding knows the new port.
     */
    private void moveIfHeld() {
        ChildAddress next;
        try {
            next = address.forRestart();
        } catch (IOException e) {
            // the restart then most likely fails to bind; its exit is handled like any other
            log.warn("the child's address {} is still in use and no free loopback port was found: {}", address,
                    e.toString());
            return;
        }
        if (next.equals(address)) {
            return;
        }
        log.warn("the child's address {} is still in use (most likely by a process the crashed child left"
                + " running); the child moves to {}", address, next);
        upstream.move(next);
        address = next;
    }

    /**
     * The recycling limits of the serving child ({@code --maximum-requests}, {@code --restart-interval},
     * {@code --memory-limit}): each asks for a replacement once, and again after a replacement that failed.
     */
    private final class Recycling {

        private final long readyAt = System.nanoTime();
        private long nextMemoryCheck = readyAt;
        private boolean asked;

        Recycling() {
            if (reload.maximumRequests() > 0) {
                UpstreamGeneration serving = upstream.current();
                long limit = reload.maximumRequests();
                serving.whenRequests(serving.requests() + limit, () -> ask("maximum-requests",
                        "--maximum-requests " + limit + " reached"));
            }
        }

        /** Called at least once a second while the child serves. */
        void check(ChildProcess child) {
            long now = System.nanoTime();
            if (!reload.restartInterval().isZero() && now - readyAt >= reload.restartInterval().toNanos()) {
                ask("restart-interval", "--restart-interval " + reload.restartInterval().toMillis() / 1000.0
                        + "s passed");
            }
            if (memoryLimit > 0 && now >= nextMemoryCheck) {
                nextMemoryCheck = now + TimeUnit.MILLISECONDS.toNanos(900); // the loop wakes at least once a second
                long resident = GroupMemory.residentBytes(child.pid());
                if (resident > memoryLimit) {
                    ask("memory-limit", "--memory-limit " + memoryLimit + " bytes passed: its processes hold "
                            + resident + " bytes");
                }
            }
        }

        private synchronized void ask(String reason, String why) {
            if (asked) {
                return;
            }
            asked = true;
            log.warn("recycling the child: {}", why);
            metrics.childRecycled(reason);
            reloads.request(why);
        }
    }

    /**
     * Replaces {@code old} with a new child and returns the child that serves afterwards: the new one, or
     * {@code old} when the new one failed (or a stop came first). Every request made so far is answered with the
     * outcome; those made meanwhile wait for the next replacement.
     */
    private ChildProcess replace(ChildProcess old, StopSignal stop, Semaphore wake, ChildStopper stopper)
            throws InterruptedException {
        ReloadRequests.Batch batch = reloads.take();
        long triggered = System.nanoTime();
        log.info("replacing the child {} ({})", old, String.join(", ", batch.reasons()));
        ChildReplacement replacement = new ChildReplacement(command, startupTimeout, reload.probePath(), stopper,
                stopSignal);
        ChildReplacement.Result result = replacement.start(address, old, stop::isRequested, wake::release, gate);
        switch (result) {
            case ChildReplacement.Failed failed -> {
                if (stop.isRequested()) {
                    batch.complete(ReloadOutcome.stopping(old.pid(), failed.pid()));
                    return old;
                }
                StringBuilder message = new StringBuilder("front: replacing the child failed (")
                        .append(failed.phase()).append("): ").append(failed.cause()).append("; ")
                        .append(old.isAlive() ? "the old child " + old + " keeps serving" : "the old child is gone too");
                if (!failed.stderr().isEmpty()) {
                    message.append("; the new child's last lines on stderr:");
                    failed.stderr().forEach(line -> message.append("\n  | ").append(line));
                }
                System.err.println(message);
                metrics.childReloaded(false);
                batch.complete(ReloadOutcome.failed(old.pid(), failed.pid(), failed.phase(), failed.cause()));
                return old;
            }
            case ChildReplacement.Ready ready -> {
                ChildAddress previousAddress = address;
                UpstreamGeneration previous = upstream.switchTo(ready.address());
                address = ready.address();
                current = ready.child();
                if (!gate.isOpen()) {
                    gate.open(); // the old child died meanwhile: requests waited for this one
                }
                long switchMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - triggered);
                metrics.childReloaded(true);
                log.info("the child {} replaced {} in {} ms; draining the old one", ready.child(), old, switchMillis);
                batch.complete(ReloadOutcome.replaced(old.pid(), ready.child().pid(), switchMillis));
                retire(old, previous, stopper);
                previousAddress.close(); // the old socket and its directory; closing again later does nothing
                return ready.child();
            }
        }
    }

    /**
     * The replaced child: its requests in flight finish (up to {@code --graceful-timeout}), then it stops with its
     * server's stop signal. Its exit was asked for: no restart, nothing counted.
     */
    private void retire(ChildProcess old, UpstreamGeneration generation, ChildStopper stopper)
            throws InterruptedException {
        long deadline = System.nanoTime() + gracefulTimeout.toNanos();
        if (old.isAlive()) {
            // a connect that read the old address just before the switch registers a moment later
            Thread.sleep(RETIRE_SETTLE_MILLIS);
            if (!generation.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                log.warn("requests still on the replaced child {} after --graceful-timeout; stopping it anyway", old);
            }
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        int status = stopper.stop(old, stopSignal, left.compareTo(MIN_CHILD_GRACE) < 0 ? MIN_CHILD_GRACE : left);
        log.info("the replaced child {} exited with status {}", old, status);
    }

    /** TERM/INT: let requests in flight finish, then stop the child within what is left of the grace period. */
    private int shutDown(ChildProcess child, ChildStopper stopper) throws InterruptedException {
        long deadline = System.nanoTime() + gracefulTimeout.toNanos();
        if (child.isAlive() && !drain.await(gracefulTimeout)) {
            log.warn("requests still in flight after --graceful-timeout; stopping the child anyway");
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        return stopper.stop(child, stopSignal, left.compareTo(MIN_CHILD_GRACE) < 0 ? MIN_CHILD_GRACE : left);
    }
}
