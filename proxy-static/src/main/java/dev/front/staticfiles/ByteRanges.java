package dev.front.staticfiles;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parses a {@code Range} header against the length of the representation (RFC 9110 §14.1.2). A header that is not a
 * well-formed {@code bytes} range set is ignored (the whole file is sent); numbers too large for a long saturate
 * instead of overflowing, which makes a huge first position unsatisfiable and a huge last position or suffix mean
 * "to the end". Sets of more than {@value #MAX_PARTS} ranges or with overlapping ranges are answered with the whole
 * file, as §14.2 allows, so that a small request can never ask for many times the file.
 */
final class ByteRanges {

    static final int MAX_PARTS = 16;

    /** One satisfiable range, both ends inclusive and inside the representation. */
    record ByteRange(long first, long last) {
        long length() {
            return last - first + 1;
        }
    }

    sealed interface Result {
    }

    /** No usable Range: send the whole representation with 200. */
    record Whole() implements Result {
    }

    /** Send these ranges with 206, in the order the client asked for them. */
    record Partial(List<ByteRange> ranges) implements Result {
    }

    /** A valid range set of which no range overlaps the representation: 416. */
    record Unsatisfiable() implements Result {
    }

    private static final Whole WHOLE = new Whole();
    private static final long SATURATED = Long.MAX_VALUE;

    private ByteRanges() {
    }

    static Result parse(String header, long length) {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "bytes=", 0, 6)) {
            return WHOLE;
        }
        List<ByteRange> satisfiable = new ArrayList<>();
        int specs = 0;
        for (String raw : header.substring(6).split(",", -1)) {
            String spec = raw.strip();
            if (spec.isEmpty()) {
                continue; // empty list members are allowed and ignored (RFC 9110 §5.6.1.2)
            }
            if (++specs > 100) {
                return WHOLE;
            }
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return WHOLE;
            }
            long first = number(spec, 0, dash);
            long last = dash + 1 == spec.length() ? SATURATED : number(spec, dash + 1, spec.length());
            if (last < 0) {
                return WHOLE;
            }
            if (dash == 0) { // suffix range "-n": the last n bytes
                if (last == SATURATED && dash + 1 == spec.length()) {
                    return WHOLE; // a bare "-"
                }
                if (last > 0 && length > 0) {
                    satisfiable.add(new ByteRange(Math.max(0, length - last), length - 1));
                }
                continue;
            }
            if (first < 0 || first > last) {
                return WHOLE;
            }
            if (first < length) {
                satisfiable.add(new ByteRange(first, Math.min(last, length - 1)));
            }
        }
        if (specs == 0) {
            return WHOLE;
        }
        if (satisfiable.isEmpty()) {
            return new Unsatisfiable();
        }
        if (satisfiable.size() > 1 && (satisfiable.size() > MAX_PARTS || overlapping(satisfiable))) {
            return WHOLE;
        }
        return new Partial(List.copyOf(satisfiable));
    }

    private static boolean overlapping(List<ByteRange> ranges) {
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ByteRange::first));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).first() <= sorted.get(i - 1).last()) {
                return true;
            }
        }
        return false;
    }

    /** 1*DIGIT between from and to, saturating at Long.MAX_VALUE; -1 when empty or not all digits. */
    private static long number(String text, int from, int to) {
        if (from == to) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (value > (SATURATED - (c - '0')) / 10) {
                value = SATURATED;
            } else if (value != SATURATED) {
                value = value * 10 + (c - '0');
            }
        }
        return value;
    }
}
