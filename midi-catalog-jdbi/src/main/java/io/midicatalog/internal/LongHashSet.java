package io.midicatalog.internal;

/**
 * A set of longs in one open-addressing array (8-16 bytes an element, no boxing): the importer
 * remembers 64-bit hashes of the paths it walked, the generator those of the paths it made.
 * Not thread-safe. Not API.
 */
public final class LongHashSet {
    private long[] table;
    private int size;
    private boolean hasZero;

    public LongHashSet(int expected) {
        if (expected < 0) {
            throw new IllegalArgumentException("expected must be >= 0: " + expected);
        }
        table = new long[Integer.highestOneBit(Math.max(16, Math.min(1 << 29, expected * 2) - 1)) << 1];
    }

    /** Adds a value; false when it was there. */
    public boolean add(long value) {
        if (value == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if (size * 2 >= table.length) {
            grow();
        }
        int mask = table.length - 1;
        int i = (int) mix(value) & mask;
        while (table[i] != 0) {
            if (table[i] == value) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = value;
        size++;
        return true;
    }

    public boolean contains(long value) {
        if (value == 0) {
            return hasZero;
        }
        int mask = table.length - 1;
        int i = (int) mix(value) & mask;
        while (table[i] != 0) {
            if (table[i] == value) {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    public int size() {
        return size + (hasZero ? 1 : 0);
    }

    /** A well-mixed 64-bit hash of a string (FNV-1a then a SplitMix finaliser). */
    public static long hash(String text) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * 0x100000001B3L;
        }
        return mix(h);
    }

    /** The SplitMix64 finaliser: a bijection that spreads bits. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        size = 0;
        for (long v : old) {
            if (v != 0) {
                add(v);
            }
        }
    }
}
