package dev.front.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The child is ready when its port or its Unix socket accepts a connection. */
final class Readiness {

    private static final long POLL_MILLIS = 50;

    private Readiness() {
    }

    /**
     * Polls until {@code address} (an {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}) accepts a
     * connection (true), {@code giveUp} says stop (e.g. the child exited), or {@code timeout} passes (false).
     */
    static boolean await(SocketAddress address, Duration timeout, BooleanSupplier giveUp)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (giveUp.getAsBoolean()) {
                return false;
            }
            if (accepts(address)) {
                return true;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return false;
    }

    /** One attempt; never blocks for long (a connect to a Unix socket is answered at once or refused). */
    static boolean accepts(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress unix) {
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                // non-blocking: a full backlog answers EAGAIN instead of blocking the probe
                channel.configureBlocking(false);
                return channel.connect(unix);
            } catch (IOException e) {
                return false; // no socket file yet (a stale one is removed before each spawn), or refused
            }
        }
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) POLL_MILLIS * 4);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
