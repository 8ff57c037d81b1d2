package dev.front.launcher;

import dev.front.core.ChildGate;
import dev.front.core.FrontMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs the child as its init would: spawn it clean ({@link ChildProcess}), relay signals to it
 * ({@link SignalRelay}), reap whatever it orphans ({@link OrphanReaper}), open the gate for requests once its
 * port or socket ({@link ChildAddress}) accepts connections, restart it after a crash ({@link RestartPolicy}), and on TERM/INT drain, stop it
 * within {@code --graceful-timeout} and clean up its group ({@link ChildStopper}).
 *
 * <p>Returns the status the front exits with: the child's (128+N for a death by signal N), 127/126 when the
 * command cannot be found/executed, 1 when it never accepted connections within {@code --startup-timeout}.
 * It never returns while the child runs: PID 1's exit would SIGKILL everything in the container.
 */
final class Supervisor {

    /** Waits for requests in flight to finish, up to a timeout; true when none is left. */
    @FunctionalInterface
    interface Drain {
        boolean await(Duration timeout) throws InterruptedException;
    }

    /** However long draining took, the child gets at least this long to stop before SIGKILL. */
    static final Duration MIN_CHILD_GRACE = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger("front");

    private final ChildCommand command;
    /** Where the next child listens; only this thread changes it (see {@link #moveIfHeld}). */
    private ChildAddress address;
    /** Told where a restarted child listens when that is no longer where the previous one did. */
    private final Consumer<ChildAddress> moved;
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
     * @param moved   points the forwarding at a restarted child's new address, before requests are let through
     */
    Supervisor(ChildCommand command, ChildAddress address, Duration startupTimeout, Duration gracefulTimeout,
               ChildGate gate, Drain drain, FrontMetrics metrics, Consumer<ChildAddress> moved) {
        this.moved = moved;
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
        }, stopSignal, System.err);
        try {
            return supervise(stop, wake, new ChildStopper(reaper::sweep, System.err));
        } finally {
            relay.close();
            int swept = reaper.sweep();
            log.info("reaped {} orphaned processes in all", reaper.reapedCount() + swept);
            reaper.close();
        }
    }

    private int supervise(StopSignal stop, Semaphore wake, ChildStopper stopper) throws InterruptedException {
        while (true) {
            ChildProcess child;
            try {
                address.prepareSpawn();
            } catch (IOException e) {
                // the next child will most likely fail to bind; its exit is then handled like any other
                log.warn("cannot remove the previous child's socket at {}: {}", address, e.toString());
            }
            try {
                child = ChildProcess.spawn(command.argv(address), command.environment(address),
                        command.workingDirectory());
            } catch (SpawnException e) {
                System.err.println("front: " + e.getMessage());
                return e.exitStatus();
            }
            current = child;
            child.onExit().thenRun(wake::release);
            long started = System.nanoTime();
            log.info("child started: pid {} on {}", child.pid(), address);

            boolean ready = Readiness.await(address.probe(), startupTimeout,
                    () -> !child.isAlive() || stop.isRequested());
            if (ready) {
                gate.open();
                log.info("child ready on {}", address);
            } else if (child.isAlive() && !stop.isRequested()) {
                System.err.println("front: the child did not accept connections on " + address
                        + " within --startup-timeout " + startupTimeout.toMillis() / 1000.0 + "s");
                stopper.stop(child, stopSignal, gracefulTimeout);
                return 1;
            }
            while (child.isAlive() && !stop.isRequested()) {
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
        moved.accept(next);
        address = next;
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
