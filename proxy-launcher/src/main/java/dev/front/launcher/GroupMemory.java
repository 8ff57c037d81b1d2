package dev.front.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code --memory-limit} measures: the resident memory of every process in the child's process group (a
 * pre-fork server's master and workers), from {@code /proc}; and the container's limit a percentage refers to.
 */
final class GroupMemory {

    private static final Path PROC = Path.of("/proc");

    private GroupMemory() {
    }

    /** The sum of VmRSS over the processes whose process group is {@code pgrp}; processes gone meanwhile count 0. */
    static long residentBytes(long pgrp) {
        long total = 0;
        for (ProcStat process : ProcStat.all()) {
            if (process.pgrp() == pgrp && !process.isZombie()) {
                total += residentBytesOf(process.pid());
            }
        }
        return total;
    }

    private static long residentBytesOf(long pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] fields = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(fields[0]) * 1024; // always in kB
                }
            }
        } catch (NoSuchFileException e) {
            // exited while listed
        } catch (IOException | RuntimeException e) {
            // unreadable (another user's, half gone): counts nothing
        }
        return 0;
    }

    /**
     * The container's memory limit: {@code memory.max} of the front's cgroup (v2), or {@code memory.limit_in_bytes}
     * (v1).
     *
     * @throws IllegalArgumentException naming {@code --memory-limit} where there is no limit to take a part of
     */
    static long containerLimit(String option) {
        Path file = null;
        try {
            for (String line : Files.readAllLines(PROC.resolve("self/cgroup"))) {
                String[] parts = line.split(":", 3);
                if (parts.length == 3 && parts[0].equals("0") && parts[1].isEmpty()) {
                    file = Path.of("/sys/fs/cgroup" + parts[2], "memory.max");
                } else if (parts.length == 3 && List.of(parts[1].split(",")).contains("memory")) {
                    file = Path.of("/sys/fs/cgroup/memory" + parts[2], "memory.limit_in_bytes");
                }
                if (file != null && Files.isReadable(file)) {
                    break;
                }
            }
            if (file == null || !Files.isReadable(file)) {
                throw new IllegalArgumentException(option + " (expected: bytes; a percentage needs the container's"
                        + " memory limit, and this front's cgroup has no readable memory.max)");
            }
            String value = Files.readString(file).trim();
            if (value.equals("max") || value.length() >= 19) { // v1 says "no limit" with a huge number
                throw new IllegalArgumentException(option + " (expected: bytes; a percentage needs the container's"
                        + " memory limit, and " + file + " says there is none: " + value + ")");
            }
            return Long.parseLong(value);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalArgumentException(option + " (expected: bytes; the container's memory limit could not"
                    + " be read" + (file == null ? "" : " from " + file) + ": " + e.getMessage() + ")");
        }
    }
}
