package dev.front.core.admin;

import dev.front.core.observe.ReloadOutcome;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Asks for the child to be replaced (HUP, {@code POST /reload}, a recycling limit) and tells each asker how it
 * ended. Requests that arrive while a replacement runs wait for the next one: however many came meanwhile, they
 * fold into one more replacement, so the new code they are about is what ends up serving.
 */
public final class ReloadRequests {

    /** The requests taken for one replacement: what asked for it and who waits for its outcome. */
    public record Batch(Set<String> reasons, List<CompletableFuture<ReloadOutcome>> waiting) {

        public void complete(ReloadOutcome outcome) {
            waiting.forEach(f -> f.complete(outcome));
        }
    }

    private final Set<String> reasons = new LinkedHashSet<>();
    private final List<CompletableFuture<ReloadOutcome>> waiting = new ArrayList<>();
    private volatile Runnable wake = () -> { };

    /** {@code wake} runs after every request (from any thread): it must only nudge the supervisor. */
    public void onRequest(Runnable wake) {
        this.wake = wake;
    }

    /**
     * Asks for a replacement; {@code reason} names the trigger in the log ({@code HUP}, {@code POST /reload},
     * {@code --maximum-requests 1000}). The future completes once that replacement has ended either way.
     */
    public CompletableFuture<ReloadOutcome> request(String reason) {
        CompletableFuture<ReloadOutcome> outcome = new CompletableFuture<>();
        synchronized (this) {
            reasons.add(reason);
            waiting.add(outcome);
        }
        wake.run();
        return outcome;
    }

    public synchronized boolean isPending() {
        return !waiting.isEmpty();
    }

    /** Takes every request made so far, for one replacement; later ones wait for the next. */
    public synchronized Batch take() {
        Batch batch = new Batch(Set.copyOf(reasons), List.copyOf(waiting));
        reasons.clear();
        waiting.clear();
        return batch;
    }
}
