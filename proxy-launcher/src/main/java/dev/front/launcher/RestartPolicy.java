package dev.front.launcher;

import java.time.Duration;

/**
 * Decides, each time the child exits without being asked to, whether to start it again and after how long.
 *
 * <ul>
 *   <li>Status 0: the child ended cleanly by itself; the front follows it out with 0 (nothing crashed, and the
 *       orchestrator decides what comes next).</li>
 *   <li>Statuses 3 and 4: gunicorn's "workers failed to boot" and "application could not be loaded". A restart
 *       cannot fix either, so the front exits with it at once.</li>
 *   <li>Anything else is a crash and is restarted after a growing delay: 1 s, 2 s, 3 s ... for the 1st, 2nd,
 *       3rd restart in a row.</li>
 *   <li>A run counts as good when the child became ready and lived at least the start window (1 s); a good
 *       run resets the count. After {@link #DEFAULT_RETRIES} restarts in a row without a good run the front
 *       gives up and exits with the child's status, so the orchestrator sees the failure.</li>
 * </ul>
 * Not thread-safe: used by the supervisor's thread only.
 */
final class RestartPolicy {

    static final Duration START_WINDOW = Duration.ofSeconds(1);
    /** Like supervisord's startretries: enough to ride out a blip, short enough (1+2+3 s) to fail fast. */
    static final int DEFAULT_RETRIES = 3;

    private static final int GUNICORN_WORKER_BOOT_ERROR = 3;
    private static final int GUNICORN_APP_LOAD_ERROR = 4;

    /** What to do after an exit. */
    sealed interface Decision {
    }

    /** Start the child again after delay; attempt counts restarts since the last good run, from 1. */
    record Restart(Duration delay, int attempt, int retries) implements Decision {
    }

    /** Do not restart; reason completes "not restarting: ...". */
    record GiveUp(String reason) implements Decision {
    }

    private final int retries;
    private final Duration step;
    private int restartsInARow;

    RestartPolicy() {
        this(DEFAULT_RETRIES, Duration.ofSeconds(1));
    }

    /** @param step the first delay; the n-th restart in a row waits n times it */
    RestartPolicy(int retries, Duration step) {
        this.retries = retries;
        this.step = step;
    }

    /**
     * @param status exit code, or 128+N for a death by signal N
     * @param ranFor how long the child ran
     * @param wasReady whether its port or socket ever accepted a connection
     */
    Decision onExit(int status, Duration ranFor, boolean wasReady) {
        if (status == 0) {
            return new GiveUp("it exited cleanly");
        }
        if (status == GUNICORN_WORKER_BOOT_ERROR) {
            return new GiveUp("status 3 is gunicorn's worker boot error, a restart cannot fix it");
        }
        if (status == GUNICORN_APP_LOAD_ERROR) {
            return new GiveUp("status 4 is gunicorn's application load error, a restart cannot fix it");
        }
        if (wasReady && ranFor.compareTo(START_WINDOW) >= 0) {
            restartsInARow = 0;
        }
        if (restartsInARow >= retries) {
            return new GiveUp("it failed " + (restartsInARow + 1) + " times in a row without a good run");
        }
        restartsInARow++;
        return new Restart(step.multipliedBy(restartsInARow), restartsInARow, retries);
    }
}
