package dev.front.core.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Gives each failure answer its error id and says the failure on stderr in one {@code warn} line carrying that id.
 * A flood of one kind of failure (a scanner's malformed requests, every request while the upstream is down) writes
 * at most one line per kind per second, the next line saying how many were left out, so it cannot fill a disk; the
 * ids of the unlogged ones still reach their responses and the access log.
 */
public final class FailureLog {

    static final long WINDOW_NANOS = 1_000_000_000L;
    /** Crockford's base32, lower case: no i, l, o, u, so an id read aloud or copied by hand survives. */
    private static final char[] DIGITS = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    static final int ID_LENGTH = 10;

    /** One kind's window: when its last line was written and how many failures were not logged since. */
    private static final class Window {
        long lastLine;
        boolean logged;
        long suppressed;
    }

    private final Logger log;
    private final LongSupplier nanoTime;
    /** Keyed by {@link Failure#kind()}, a fixed set of words: the map stays small. */
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public FailureLog(Logger log, LongSupplier nanoTime) {
        this.log = log;
        this.nanoTime = nanoTime;
    }

    /** A new error id: 10 base32 digits of a random 50-bit number, unique enough to grep one request's lines. */
    static String newId() {
        long bits = ThreadLocalRandom.current().nextLong();
        char[] id = new char[ID_LENGTH];
        for (int i = 0; i < ID_LENGTH; i++) {
            id[i] = DIGITS[(int) (bits & 31)];
            bits >>>= 5;
        }
        return new String(id);
    }

    /** Returns a new id for {@code failure} and logs it, unless a line of its kind went out less than 1 s ago. */
    public String report(Failure failure) {
        return report(failure, null, null);
    }

    /**
     * As {@link #report(Failure)}, naming the request's id when there is one, with a defect's stack trace after the
     * line.
     */
    public String report(Failure failure, String requestId, Throwable defect) {
        String id = newId();
        if (!log.isWarnEnabled()) {
            return id;
        }
        long now = nanoTime.getAsLong();
        long suppressed;
        Window window = windows.computeIfAbsent(failure.kind(), k -> new Window());
        synchronized (window) {
            if (window.logged && now - window.lastLine < WINDOW_NANOS) {
                window.suppressed++;
                return id;
            }
            window.logged = true;
            window.lastLine = now;
            suppressed = window.suppressed;
            window.suppressed = 0;
        }
        String line = failure.status().code() + " " + failure.status().reasonPhrase() + ", error id " + id
                + (requestId == null ? "" : ", request id " + requestId) + ": "
                + failure.cause() + (suppressed == 0 ? "" : " (" + suppressed + " more like it not logged since the"
                + " last line)");
        if (defect == null) {
            log.warn(line);
        } else {
            log.warn(line, defect);
        }
        return id;
    }
}
