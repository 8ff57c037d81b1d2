package dev.front.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * Stops the child the graceful way and leaves nothing of it behind: its stop signal to its pid, SIGKILL to
 * its whole group once {@code --graceful-timeout} has passed, then TERM and KILL for whatever of the group is
 * still there (daemonised helpers, workers that outlived their master), reaping orphans as they go.
 */
final class ChildStopper {

    /** How long leftover group members get after TERM before KILL, and after KILL before we give up. */
    static final Duration LEFTOVER_GRACE = Duration.ofSeconds(1);

    private final IntSupplier sweepOrphans;
    private final PrintStream messages;

    /**
     * @param sweepOrphans reaps zombie orphans now (killed group members re-parent to the front)
     * @param messages     where one-line notices go (stderr)
     */
    ChildStopper(IntSupplier sweepOrphans, PrintStream messages) {
        this.sweepOrphans = sweepOrphans;
        this.messages = messages;
    }

    /**
     * Stops child and its group; returns its exit status (128+9 when it had to be killed).
     *
     * @param grace how long the child gets after its stop signal (what is left of --graceful-timeout)
     */
    int stop(ChildProcess child, int stopSignal, Duration grace) throws InterruptedException {
        child.signal(stopSignal);
        if (!child.waitFor(grace)) {
            messages.println("front: the child " + child + " did not exit within --graceful-timeout ("
                    + grace.toMillis() / 1000.0 + "s left after draining); sending SIGKILL to its process group");
            child.signalGroup(Posix.SIGKILL);
        }
        int status = child.waitFor();
        cleanUpGroup(child);
        return status;
    }

    /**
     * After the child is gone: TERM, then KILL, whatever is left in its process group.
     *
     * @return true when the group is empty at the end
     */
    boolean cleanUpGroup(ChildProcess child) throws InterruptedException {
        for (int signal : new int[] {Posix.SIGTERM, Posix.SIGKILL}) {
            if (groupGone(child)) {
                return true;
            }
            child.signalGroup(signal);
            if (signal == Posix.SIGTERM) {
                // a stopped process only acts on TERM once continued
                child.signalGroup(Posix.SIGCONT);
            }
            long deadline = System.nanoTime() + LEFTOVER_GRACE.toNanos();
            while (System.nanoTime() < deadline && !groupGone(child)) {
                Thread.sleep(20);
            }
        }
        boolean gone = groupGone(child);
        if (!gone) {
            messages.println("front: processes of the child's group " + child.pid() + " survived SIGKILL");
        }
        return gone;
    }

    private boolean groupGone(ChildProcess child) {
        sweepOrphans.getAsInt(); // killed members are zombies until reaped, and zombies still count as members
        return !child.groupExists();
    }
}
