package dev.front.core.admin;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Whether the front should get new traffic ({@code /readyz}): the child (or the sidecar upstream) accepts
 * connections and the front is not draining. Draining starts the moment a stop is requested (TERM/INT) and never ends, so an orchestrator takes the
 * front out of its endpoints while in-flight requests finish.
 */
public final class ReadyState {

    /** Whether the child accepts connections (its gate is open). */
    private final BooleanSupplier childAccepts;
    private volatile boolean draining;
    /**
     * Why the sidecar upstream refuses connections ({@code null} while it accepts), from its watch; {@code null} when
     * the front supervises its child or forwards nowhere.
     */
    private volatile Supplier<String> upstream;

    public ReadyState(BooleanSupplier childAccepts) {
        this.childAccepts = childAccepts;
    }

    /** Called from the stop-signal hook: {@code /readyz} fails from now on. */
    public void drain() {
        draining = true;
    }

    /** From now on {@code /readyz} fails while {@code refusal} says why the upstream refuses connections. */
    public void watchUpstream(Supplier<String> refusal) {
        this.upstream = refusal;
    }

    public boolean isReady() {
        return reason() == null;
    }

    /** Why the front is not ready, or {@code null} when it is. */
    public String reason() {
        if (draining) {
            return "draining: a stop was requested";
        }
        if (!childAccepts.getAsBoolean()) {
            return "the child is not accepting connections";
        }
        Supplier<String> refusal = upstream;
        return refusal == null ? null : refusal.get();
    }
}
