package dev.front.launcher;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Run in its own JVM by {@link OrphanReaperTest} (as PID 1 of a new PID namespace, or as a subreaper): a child
 * forks 100 grandchildren and exits, the grandchildren become our orphans and exit, and the probe reports
 * how many were reaped and how many zombies are left as one line {@code pid=.. child=.. reaped=.. zombies=..}.
 * With {@code no-reap} it only becomes a subreaper, to show the zombies really appear without the reaper.
 */
public final class OrphanProbe {

    private OrphanProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean reap = args.length > 0 && args[0].equals("reap");
        long self = Posix.getpid();
        OrphanReaper reaper = null;
        SignalRelay relay = null;
        if (reap) {
            reaper = OrphanReaper.start();
            OrphanReaper scanner = reaper;
            relay = SignalRelay.install(Optional::empty, new SignalRelay.Listener() {
                @Override
                public void shutdownRequested(int signal) {
                }

                @Override
                public void childStateChanged() {
                    scanner.requestScan();
                }
            }, Posix.SIGTERM, System.err);
        } else if (self != 1) {
            Posix.becomeChildSubreaper();
        }
        ChildProcess child = ChildProcess.spawn(List.of("/bin/sh", "-c",
                "i=0; while [ $i -lt 100 ]; do sleep 0.3 & i=$((i+1)); done; exit 5"),
                Map.of("PATH", "/usr/bin:/bin"), null);
        int status = child.waitFor();
        long start = System.nanoTime();
        // wait until every grandchild has exited, and (when reaping) until none is left as a zombie
        ProcFiles.await(Duration.ofSeconds(15), () -> ProcStat.all().stream()
                .filter(p -> p.ppid() == self)
                .allMatch(p -> p.isZombie() && !reap));
        long millis = (System.nanoTime() - start) / 1_000_000;
        long zombies = ProcStat.all().stream().filter(p -> p.ppid() == self && p.isZombie()).count();
        System.out.println("pid=" + self + " subreaper=" + Posix.isChildSubreaper() + " child=" + status
                + " reaped=" + (reap ? reaper.reapedCount() : 0)
                + " zombies=" + zombies + " millis=" + millis);
        if (relay != null) {
            relay.close();
            reaper.close();
        }
    }
}
