package dev.front.core.trust;

import java.util.List;

/**
 * Walks the comma-separated elements of a header's field lines from the right, as if the lines were joined in
 * arrival order: the last element is the one the nearest proxy appended. Empty elements are skipped and optional
 * whitespace around each element is trimmed. No joined string and no substring is made: callers get a range.
 */
final class HeaderElements {

    private final List<String> lines;
    private int line;
    private int end;
    private String current;
    private int start;
    private int stop;

    HeaderElements(List<String> lines) {
        this.lines = lines;
        this.line = lines.size() - 1;
        this.end = line >= 0 ? lines.get(line).length() : 0;
    }

    /** Moves to the next element to the left; false when there is none. */
    boolean previous() {
        while (line >= 0) {
            String text = lines.get(line);
            while (end >= 0) {
                int comma = text.lastIndexOf(',', end - 1);
                int from = comma + 1;
                int to = end;
                end = comma;          // -1 when this was the line's first element
                while (from < to && isWhitespace(text.charAt(from))) {
                    from++;
                }
                while (to > from && isWhitespace(text.charAt(to - 1))) {
                    to--;
                }
                if (from < to) {
                    current = text;
                    start = from;
                    stop = to;
                    return true;
                }
            }
            line--;
            end = line >= 0 ? lines.get(line).length() : 0;
        }
        return false;
    }

    /** The text of the line holding the current element. */
    String text() {
        return current;
    }

    /** Where the current element starts in {@link #text()}. */
    int start() {
        return start;
    }

    /** Where the current element ends (exclusive) in {@link #text()}. */
    int end() {
        return stop;
    }

    /** The rightmost element of all lines as a string, or {@code null} when every line is empty. */
    static String last(List<String> lines) {
        HeaderElements elements = new HeaderElements(lines);
        return elements.previous() ? elements.current.substring(elements.start, elements.stop) : null;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
