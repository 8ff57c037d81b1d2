package dev.front.launcher;

import dev.front.core.upstream.ChildGate;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the second child of a replacement and proves it ready, while the old one goes on serving: the same command
 * and environment on a new socket or port, alive, accepting a connection, and answering {@code GET
 * --reload-probe-path} completely with a status below 500, all within {@code --startup-timeout}. A new child that
 * fails any of that is stopped with its whole group and its socket removed; the caller keeps the old one.
 */
final class ChildReplacement {

    /** How a replacement's start ended. */
    sealed interface Result {
    }

    /** The new child serves on {@code address} as soon as the forwarding is pointed there. */
    record Ready(ChildProcess child, ChildAddress address) implements Result {
    }

    /**
     * The new child (pid 0 when none was started) did not become ready.
     *
     * @param phase  {@code start}, {@code listen} or {@code probe}
     * @param cause  the exit status, the timeout, or the probe's answer
     * @param stderr the last lines the new child wrote to its standard error
     */
    record Failed(long pid, String phase, String cause, List<String> stderr) implements Result {
    }

    private static final Logger log = LoggerFactory.getLogger("front");
    /** Between two probes of a child that answered 500 or nothing complete yet. */
    private static final long PROBE_RETRY_MILLIS = 100;
    /** For the pipe to pass on what a child that just exited wrote last. */
    private static final long TAIL_SETTLE_MILLIS = 100;

    private final ChildCommand command;
    private final Duration startupTimeout;
    private final String probePath;
    private final ChildStopper stopper;
    private final int stopSignal;

    ChildReplacement(ChildCommand command, Duration startupTimeout, String probePath, ChildStopper stopper,
                     int stopSignal) {
        this.command = command;
        this.startupTimeout = startupTimeout;
        this.probePath = probePath;
        this.stopper = stopper;
        this.stopSignal = stopSignal;
    }

    /**
     * @param serving  where the old child listens (the new one gets the next address of its kind)
     * @param old      the old child: should it die meanwhile, {@code gate} closes so that requests wait for the new
     *                 one as they wait out a restart
     * @param stopping true once the front is asked to stop: the new child is then stopped at once
     * @param exited   run when the new child exits, to wake the caller
     */
    Result start(ChildAddress serving, ChildProcess old, BooleanSupplier stopping, Runnable exited, ChildGate gate)
            throws InterruptedException {
        ChildAddress address;
        try {
            address = serving.next();
        } catch (IOException e) {
            return new Failed(0, "start", e.getMessage(), List.of());
        }
        StderrTail stderr;
        ChildProcess child;
        try {
            stderr = StderrTail.open();
        } catch (IOException e) {
            address.close();
            return new Failed(0, "start", e.getMessage(), List.of());
        }
        try {
            child = ChildProcess.spawn(command.argv(address), command.environment(address),
                    command.workingDirectory(), stderr);
            stderr.start(Long.toString(child.pid()));
        } catch (SpawnException | IOException e) {
            stderr.close();
            address.close();
            return new Failed(0, "start", e.getMessage(), List.of());
        }
        child.onExit().thenRun(exited);
        log.info("new child started: pid {} on {}", child.pid(), address);
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        BooleanSupplier giveUp = () -> {
            if (!old.isAlive() && gate.isOpen()) {
                gate.close();
                log.warn("the old child {} exited during its replacement; requests wait for the new one", old);
            }
            return !child.isAlive() || stopping.getAsBoolean();
        };

        String timeout = "--startup-timeout " + startupTimeout.toMillis() / 1000.0 + "s";
        if (!Readiness.await(address.probe(), startupTimeout, giveUp)) {
            return fail(child, address, stderr, "listen", child.isAlive()
                    ? "it did not accept connections on " + address + " within " + timeout : exit(child));
        }
        String lastAnswer = null;
        while (true) {
            try {
                int status = ReloadProbe.get(address.probe(), probePath, deadline, giveUp);
                if (status < 500) {
                    return new Ready(child, address);
                }
                lastAnswer = "GET " + probePath + " answered " + status;
            } catch (ReloadProbe.NoAnswer e) {
                if (!child.isAlive() || stopping.getAsBoolean()) {
                    return fail(child, address, stderr, "probe", exit(child));
                }
                if (lastAnswer == null || System.nanoTime() >= deadline) {
                    lastAnswer = e.getMessage();
                }
            }
            if (System.nanoTime() + PROBE_RETRY_MILLIS * 1_000_000 >= deadline) {
                return fail(child, address, stderr, "probe", lastAnswer + " (within " + timeout + ")");
            }
            Thread.sleep(PROBE_RETRY_MILLIS);
        }
    }

    private static String exit(ChildProcess child) throws InterruptedException {
        if (child.isAlive()) {
            return "the front is stopping";
        }
        int status = child.waitFor();
        return "it exited with status " + status + (status > 128 ? " (signal " + (status - 128) + ")" : "");
    }

    /** Stops the new child and whatever it started, and removes its socket. */
    private Failed fail(ChildProcess child, ChildAddress address, StderrTail stderr, String phase, String cause)
            throws InterruptedException {
        stopper.stop(child, stopSignal, Supervisor.MIN_CHILD_GRACE);
        address.close();
        return new Failed(child.pid(), phase, cause, stderr.lines(TAIL_SETTLE_MILLIS));
    }
}
