package dev.front.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of {@code /proc/<pid>/stat} the supervisor needs. The command name is in parentheses and may
 * itself contain spaces and parentheses, so fields are counted from the last ')'.
 *
 * @param pid     process id
 * @param state   R, S, D, Z, T, ...
 * @param ppid    parent process id
 * @param pgrp    process group id
 * @param session session id
 */
record ProcStat(long pid, char state, long ppid, long pgrp, long session) {

    private static final Path PROC = Path.of("/proc");

    boolean isZombie() {
        return state == 'Z';
    }

    /** Parses one stat line; empty when it is not one (a process caught half-gone). */
    static Optional<ProcStat> parse(String line) {
        int open = line.indexOf(" (");
        int close = line.lastIndexOf(") ");
        if (open <= 0 || close < open) {
            return Optional.empty();
        }
        String[] rest = line.substring(close + 2).trim().split(" ");
        if (rest.length < 4 || rest[0].length() != 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ProcStat(Long.parseLong(line.substring(0, open)), rest[0].charAt(0),
                    Long.parseLong(rest[1]), Long.parseLong(rest[2]), Long.parseLong(rest[3])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The stat of pid; empty when the process is gone. */
    static Optional<ProcStat> of(long pid) {
        try {
            return parse(Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Every process visible in /proc (thread group leaders only); processes that vanish meanwhile are skipped. */
    static List<ProcStat> all() {
        List<ProcStat> processes = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, ProcStat::isPidDirectory)) {
            for (Path entry : entries) {
                of(Long.parseLong(entry.getFileName().toString())).ifPresent(processes::add);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list /proc", e);
        }
        return processes;
    }

    private static boolean isPidDirectory(Path entry) {
        String name = entry.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
