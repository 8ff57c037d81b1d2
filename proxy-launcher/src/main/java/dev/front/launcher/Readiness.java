package dev.front.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The child is ready when its port accepts a TCP connection. */
final class Readiness {

    private static final long POLL_MILLIS = 50;

    private Readiness() {
    }

    /**
     * Polls until {@code address} accepts a connection (true), {@code giveUp} says stop (e.g. the child exited), or
     * {@code timeout} passes (false).
     */
    static boolean await(InetSocketAddress address, Duration timeout, BooleanSupplier giveUp)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (giveUp.getAsBoolean()) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(address, (int) POLL_MILLIS * 4);
                return true;
            } catch (IOException e) {
                Thread.sleep(POLL_MILLIS);
            }
        }
        return false;
    }
}
