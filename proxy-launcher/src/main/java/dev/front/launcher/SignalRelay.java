package dev.front.launcher;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * Catches the signals an init must handle and passes them on from one consumer thread: HUP (unless the listener
 * replaces the child on it, {@code --on-hup replace}), USR1, TTIN, TTOU and WINCH go to the child's pid (never its group: a HUP to the group kills gunicorn's workers), TERM
 * and INT ask the listener to shut down, CHLD asks it to reap. The handlers only enqueue.
 *
 * <p>USR2 (HotSpot's own) and QUIT (thread dumps) are never touched. The child may want a different signal
 * to stop than TERM (uWSGI reloads on TERM and stops on INT): {@link #sendStop()} sends that one.
 */
final class SignalRelay implements AutoCloseable {

    /** What the supervisor does with the signals that are not simply relayed. */
    interface Listener {

        /** TERM or INT arrived (again, for a second one): begin or hurry the shutdown. */
        void shutdownRequested(int signal);

        /** CHLD arrived: some child changed state, scan for orphans. */
        void childStateChanged();

        /** HUP arrived: true when the listener handled it (a replacement), false to relay it to the child. */
        default boolean hangUp() {
            return false;
        }
    }

    static final List<String> RELAYED = List.of("HUP", "USR1", "TTIN", "TTOU", "WINCH");
    static final List<String> SHUTDOWN = List.of("TERM", "INT");
    static final String CHILD = "CHLD";

    private static final int STOP = -1;

    private final Supplier<Optional<ChildProcess>> child;
    private final Listener listener;
    private final int stopSignal;
    private final PrintStream warnings;
    private final BlockingQueue<Integer> pending = new LinkedBlockingQueue<>();
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final Thread consumer;

    private SignalRelay(Supplier<Optional<ChildProcess>> child, Listener listener, int stopSignal,
                        PrintStream warnings) {
        this.child = child;
        this.listener = listener;
        this.stopSignal = stopSignal;
        this.warnings = warnings;
        this.consumer = Thread.ofPlatform().name("front-signal-relay").daemon(true).unstarted(this::consume);
    }

    /**
     * Installs the handlers and starts the consumer.
     *
     * @param child      the current child, if any (it changes across restarts)
     * @param listener   told about TERM/INT and CHLD
     * @param stopSignal the signal that makes this child stop gracefully (TERM for most servers)
     * @param warnings   where one-line warnings go (stderr)
     */
    static SignalRelay install(Supplier<Optional<ChildProcess>> child, Listener listener, int stopSignal,
                               PrintStream warnings) {
        SignalRelay relay = new SignalRelay(child, listener, stopSignal, warnings);
        relay.consumer.start();
        for (String name : RELAYED) {
            relay.handle(name);
        }
        for (String name : SHUTDOWN) {
            relay.handle(name);
        }
        relay.handle(CHILD);
        return relay;
    }

    /** Sends the child its stop signal, to its pid only. */
    void sendStop() {
        child.get().ifPresent(c -> c.signal(stopSignal));
    }

    int stopSignal() {
        return stopSignal;
    }

    private void handle(String name) {
        Signal signal = new Signal(name);
        SignalHandler handler = s -> pending.offer(s.getNumber());
        SignalHandler old;
        try {
            old = Signal.handle(signal, handler);
        } catch (IllegalArgumentException e) {
            // e.g. the JVM runs with -Xrs and keeps TERM/INT/HUP for itself
            warnings.println("front: warning: cannot handle SIG" + name + ": " + e.getMessage());
            return;
        }
        previous.put(signal, old);
        if (old == SignalHandler.SIG_IGN) {
            // HotSpot silently refuses to install a handler for HUP, INT and TERM when they were ignored at
            // start: asking again tells whether ours is really in place.
            boolean installed = Signal.handle(signal, handler) == handler;
            warnings.println("front: warning: SIG" + name + " was ignored when the front started"
                    + (installed ? "; handling it anyway" : "; it cannot be caught and will not reach the child"));
        }
    }

    private void consume() {
        try {
            while (true) {
                int number = pending.take();
                if (number == STOP) {
                    return;
                }
                dispatch(number);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(int number) {
        try {
            switch (number) {
                case Posix.SIGTERM, Posix.SIGINT -> listener.shutdownRequested(number);
                case Posix.SIGCHLD -> listener.childStateChanged();
                case Posix.SIGHUP -> {
                    if (!listener.hangUp()) {
                        child.get().ifPresent(c -> c.signal(number));
                    }
                }
                default -> child.get().ifPresent(c -> c.signal(number));
            }
        } catch (RuntimeException e) {
            warnings.println("front: warning: handling signal " + number + " failed: " + e.getMessage());
        }
    }

    /** Puts back the handlers found at install time and stops the consumer. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
        previous.clear();
        pending.offer(STOP);
        try {
            consumer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
