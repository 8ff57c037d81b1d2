package dev.front.launcher;

import dev.front.core.ChildGate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the child: spawn, wait until its port accepts connections, open the gate for requests, and on a stop
 * request relay TERM and wait up to {@code --graceful-timeout} before SIGKILL. Returns the child's exit status
 * (128+N for a death by signal N), 127/126 when the command cannot be found/executed, 1 when it never listened.
 */
final class Supervisor {

    private static final Logger log = LoggerFactory.getLogger("front");

    private final ChildCommand command;
    private final InetSocketAddress address;
    private final Duration startupTimeout;
    private final Duration gracefulTimeout;
    private final ChildGate gate;

    Supervisor(ChildCommand command, InetSocketAddress address, Duration startupTimeout, Duration gracefulTimeout,
               ChildGate gate) {
        this.command = command;
        this.address = address;
        this.startupTimeout = startupTimeout;
        this.gracefulTimeout = gracefulTimeout;
        this.gate = gate;
    }

    int run(StopSignal stop) throws InterruptedException {
        Process child;
        try {
            ProcessBuilder builder = new ProcessBuilder(command.argv()).inheritIO();
            builder.environment().clear();
            builder.environment().putAll(command.environment());
            child = builder.start();
        } catch (IOException e) {
            String program = command.argv().getFirst();
            boolean exists = program.contains("/") ? Files.exists(Path.of(program)) : false;
            System.err.println("front: cannot run the child command " + program + ": "
                    + (exists ? "not executable" : "not found"));
            return exists ? 126 : 127;
        }
        log.info("child started: pid {} on {}", child.pid(), address);
        boolean ready = Readiness.await(address, startupTimeout, () -> !child.isAlive() || stop.isRequested());
        if (!ready && !child.isAlive()) {
            int status = child.exitValue();
            System.err.println("front: the child exited with status " + status + " before it accepted connections on "
                    + address.getHostString() + ":" + address.getPort());
            return status;
        }
        if (!ready && !stop.isRequested()) {
            System.err.println("front: the child did not accept connections on " + address.getHostString() + ":"
                    + address.getPort() + " within --startup-timeout " + startupTimeout.toMillis() / 1000.0 + "s");
            return stopChild(child, 1);
        }
        if (ready) {
            gate.open();
            log.info("child ready on {}", address);
        }
        while (!stop.isRequested()) {
            if (child.waitFor(100, TimeUnit.MILLISECONDS)) {
                gate.close();
                int status = child.exitValue();
                System.err.println("front: the child exited with status " + status);
                return status;
            }
        }
        gate.close();
        return stopChild(child, -1);
    }

    /** TERM, then SIGKILL after the grace period; returns {@code status} if given (>= 0), else the child's. */
    private int stopChild(Process child, int status) throws InterruptedException {
        child.destroy();
        if (!child.waitFor(gracefulTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("child did not exit within --graceful-timeout; sending SIGKILL");
            child.destroyForcibly();
            child.waitFor();
        }
        return status >= 0 ? status : child.exitValue();
    }
}
