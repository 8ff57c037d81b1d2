package dev.front.core.trust;

import io.netty.util.AsciiString;

/**
 * Classifies request header names for the forwarded-header policy in one hash probe, ignoring case, without
 * lower-casing or allocating: built once per policy, read on every request from any event loop (immutable).
 */
final class HeaderNameTable {

    /** An ordinary header: forwarded unless {@code Connection} names it. */
    static final int KEEP = -1;
    /** A hop-by-hop or forwarding header: never forwarded as received. */
    static final int REMOVE = -2;
    /** A name outside {@code [A-Za-z0-9-]+}: dropped (or the request refused in strict mode). */
    static final int INVALID = -3;
    /**
     * The first of the codes of watched names: {@code WATCHED - j} for the j-th. Removed like {@link #REMOVE}, but
     * told apart so the policy can say which forwarding header it dropped.
     */
    static final int WATCHED = -16;

    private static final AsciiString FORWARDED_PREFIX = AsciiString.cached("x-forwarded-");

    private final CharSequence[] names;
    private final int[] codes;
    private final int mask;

    /**
     * @param removed names always removed
     * @param trusted names consumed from trusted peers; {@link #classify} answers their index here (they are removed
     *                from the forwarded set too)
     */
    HeaderNameTable(Iterable<? extends CharSequence> removed, CharSequence[] trusted) {
        this(removed, trusted, new CharSequence[0]);
    }

    /**
     * @param watched names removed too, answered as {@link #watched(int) watched(j)} by {@link #classify} unless they
     *                are also trusted (a trusted name answers its index)
     */
    HeaderNameTable(Iterable<? extends CharSequence> removed, CharSequence[] trusted, CharSequence[] watched) {
        int size = 64;
        int count = trusted.length + watched.length;
        for (CharSequence ignored : removed) {
            count++;
        }
        while (size < count * 4) {
            size <<= 1;
        }
        names = new CharSequence[size];
        codes = new int[size];
        mask = size - 1;
        for (CharSequence name : removed) {
            put(name, REMOVE);
        }
        for (int j = 0; j < watched.length; j++) {
            put(watched[j], watched(j));
        }
        for (int i = 0; i < trusted.length; i++) {
            put(trusted[i], i);
        }
    }

    private void put(CharSequence name, int code) {
        int slot = AsciiString.hashCode(name) & mask;
        while (names[slot] != null && !AsciiString.contentEqualsIgnoreCase(names[slot], name)) {
            slot = (slot + 1) & mask;
        }
        names[slot] = AsciiString.of(name);
        codes[slot] = code;
    }

    /** The code of the j-th watched name; {@code WATCHED - code} gives j back. */
    static int watched(int j) {
        return WATCHED - j;
    }

    /** {@link #KEEP}, {@link #REMOVE}, {@link #INVALID}, a {@link #watched} code, or the index of a trusted name. */
    int classify(CharSequence name) {
        int length = name.length();
        if (length == 0) {
            return INVALID;
        }
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            // The CGI mapping turns '_' and '.' into the same key as '-': such names could pose as forwarding headers.
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                return INVALID;
            }
        }
        int slot = AsciiString.hashCode(name) & mask;
        CharSequence candidate;
        while ((candidate = names[slot]) != null) {
            if (AsciiString.contentEqualsIgnoreCase(candidate, name)) {
                return codes[slot];
            }
            slot = (slot + 1) & mask;
        }
        if (length >= FORWARDED_PREFIX.length()
                && AsciiString.regionMatches(name, true, 0, FORWARDED_PREFIX, 0, FORWARDED_PREFIX.length())) {
            return REMOVE;
        }
        return KEEP;
    }
}
