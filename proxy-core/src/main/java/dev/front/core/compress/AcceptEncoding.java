package dev.front.core.compress;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * The client's {@code Accept-Encoding} (RFC 9110 §12.5.3) against the codings the front can send. Pure.
 */
public final class AcceptEncoding {

    private static final Coding[] CODINGS = Coding.values();

    private AcceptEncoding() {
    }

    /**
     * Chooses among the available codings and identity: the highest qvalue wins, ties go to the coding listed first
     * in {@link Coding} (the smaller output), {@code q=0} excludes, {@code *} covers codings not named. Identity
     * competes only with the weight the client gave it by name; otherwise it is the fallback when no available coding
     * is acceptable ({@code gzip;q=0.5} still means "gzip is welcome"). Without the header only identity is sent: a
     * client that did not ask for compression may not be able to decode it. Identity is also what a client that
     * refuses everything ({@code *;q=0}) gets: the front answers rather than sending 406.
     *
     * @param acceptEncoding the header's lines joined with commas, or {@code null} when absent
     * @return the coding to send, or {@code null} for identity
     */
    public static Coding negotiate(String acceptEncoding, Set<Coding> available) {
        if (acceptEncoding == null || available.isEmpty()) {
            return null;
        }
        int[] q = new int[CODINGS.length]; // in thousandths; -1 = not named
        Arrays.fill(q, -1);
        int identity = -1;
        int wildcard = -1;
        for (String member : acceptEncoding.split(",")) {
            String[] parts = member.split(";");
            String name = parts[0].strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            int weight = 1000;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].strip();
                if (param.length() > 2 && (param.charAt(0) == 'q' || param.charAt(0) == 'Q') && param.charAt(1) == '=') {
                    weight = qvalue(param.substring(2));
                }
            }
            if (weight < 0) {
                continue; // a malformed qvalue makes the member meaningless; ignore it rather than guess
            }
            switch (name) {
                case "*" -> wildcard = weight;
                case "identity" -> identity = weight;
                case "x-gzip" -> q[Coding.GZIP.ordinal()] = weight;
                default -> {
                    for (Coding coding : CODINGS) {
                        if (coding.token().equals(name)) {
                            q[coding.ordinal()] = weight;
                        }
                    }
                }
            }
        }
        Coding best = null;
        int bestWeight = Math.max(identity, 0);
        for (Coding coding : CODINGS) {
            int weight = q[coding.ordinal()] >= 0 ? q[coding.ordinal()] : Math.max(wildcard, 0);
            // CODINGS runs from the preferred coding down, so only a strictly better weight displaces an earlier
            // coding, while identity (set first) loses a tie to any coding
            if (available.contains(coding) && weight > 0 && (best == null ? weight >= bestWeight : weight > bestWeight)) {
                best = coding;
                bestWeight = weight;
            }
        }
        return best;
    }

    /** {@code 0[.ddd]} or {@code 1[.000]} in thousandths; -1 when malformed. */
    private static int qvalue(String text) {
        String v = text.strip();
        if (v.isEmpty() || v.length() > 5 || (v.charAt(0) != '0' && v.charAt(0) != '1')) {
            return -1;
        }
        int whole = v.charAt(0) - '0';
        int fraction = 0;
        if (v.length() > 1) {
            if (v.charAt(1) != '.') {
                return -1;
            }
            String digits = v.substring(2);
            for (int i = 0; i < 3; i++) {
                int d = 0;
                if (i < digits.length()) {
                    char c = digits.charAt(i);
                    if (c < '0' || c > '9') {
                        return -1;
                    }
                    d = c - '0';
                }
                fraction = fraction * 10 + d;
            }
        }
        int value = whole * 1000 + fraction;
        return value > 1000 ? -1 : value;
    }
}
