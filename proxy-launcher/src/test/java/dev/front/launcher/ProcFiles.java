package dev.front.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** Test-only readers of /proc and a bounded poll. */
final class ProcFiles {

    private ProcFiles() {
    }

    /** A hex mask line of /proc/<pid>/status, e.g. SigBlk or SigIgn. */
    static long statusMask(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseUnsignedLong(line.substring(field.length() + 1).trim(), 16);
            }
        }
        throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
    }

    /** Link targets of /proc/<pid>/fd, e.g. "socket:[1234]", "/dev/null". */
    static List<String> descriptorTargets(long pid) throws IOException {
        List<String> targets = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (NoSuchFileException gone) {
                    // closed while listing
                }
            }
        }
        return targets;
    }

    /** Descriptor numbers of the sockets this process holds without close-on-exec (they would leak into a child). */
    static List<Integer> inheritableSockets() throws IOException {
        List<Integer> sockets = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (!Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        continue;
                    }
                    String name = fd.getFileName().toString();
                    for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", name))) {
                        // flags are octal; O_CLOEXEC is 02000000
                        if (line.startsWith("flags:") && (Long.parseLong(line.substring(6).trim(), 8) & 02000000) == 0) {
                            sockets.add(Integer.parseInt(name));
                        }
                    }
                } catch (NoSuchFileException gone) {
                    // closed while listing
                }
            }
        }
        return sockets;
    }

    /**
     * The TCP ports {@code pid} listens on: its socket descriptors matched with the LISTEN entries of /proc/net/tcp
     * and tcp6 (this test's network namespace, which the front and its child share).
     */
    static Set<Integer> tcpListeningPorts(long pid) throws IOException {
        Set<String> held = new HashSet<>();
        for (String target : descriptorTargets(pid)) {
            if (target.startsWith("socket:[")) {
                held.add(target.substring("socket:[".length(), target.length() - 1));
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals("0A") && held.contains(fields[9])) {
                    String local = fields[1];
                    ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    /** Polls condition every 20 ms until it holds or timeout passes; returns its last value. */
    static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
