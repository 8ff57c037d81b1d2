package dev.front.core;

/**
 * Whether the front should get new traffic ({@code /readyz}): the child (or the sidecar upstream) accepts
 * connections and the front is not draining. Draining starts the moment a stop is requested (TERM/INT) and never ends, so an orchestrator takes the
 * front out of its endpoints while in-flight requests finish.
 */
public final class ReadyState {

    private final ChildGate gate;
    private volatile boolean draining;
    /** The sidecar upstream's watch; {@code null} when the front supervises its child or forwards nowhere. */
    private volatile UpstreamWatch upstream;

    public ReadyState(ChildGate gate) {
        this.gate = gate;
    }

    /** Called from the stop-signal hook: {@code /readyz} fails from now on. */
    public void drain() {
        draining = true;
    }

    /** From now on {@code /readyz} fails while {@code watch} says the upstream refuses connections. */
    public void watchUpstream(UpstreamWatch watch) {
        this.upstream = watch;
    }

    public boolean isReady() {
        return reason() == null;
    }

    /** Why the front is not ready, or {@code null} when it is. */
    public String reason() {
        if (draining) {
            return "draining: a stop was requested";
        }
        if (!gate.isOpen()) {
            return "the child is not accepting connections";
        }
        UpstreamWatch watch = upstream;
        return watch == null ? null : watch.refusal();
    }
}
