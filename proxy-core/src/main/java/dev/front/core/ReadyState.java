package dev.front.core;

/**
 * Whether the front should get new traffic ({@code /readyz}): the child accepts connections and the front is not
 * draining. Draining starts the moment a stop is requested (TERM/INT) and never ends, so an orchestrator takes the
 * front out of its endpoints while in-flight requests finish.
 */
public final class ReadyState {

    private final ChildGate gate;
    private volatile boolean draining;

    public ReadyState(ChildGate gate) {
        this.gate = gate;
    }

    /** Called from the stop-signal hook: {@code /readyz} fails from now on. */
    public void drain() {
        draining = true;
    }

    public boolean isReady() {
        return !draining && gate.isOpen();
    }

    /** Why the front is not ready, or {@code null} when it is. */
    public String reason() {
        if (draining) {
            return "draining: a stop was requested";
        }
        return gate.isOpen() ? null : "the child is not accepting connections";
    }
}
