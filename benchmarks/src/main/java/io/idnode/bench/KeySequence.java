package io.idnode.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** A thread's position in a benchmark's precomputed key sequence (whose length is {@link #LENGTH}). */
@State(Scope.Thread)
public class KeySequence {
    /** Length of every precomputed key sequence: a power of two, so positions wrap with a mask. */
    public static final int LENGTH = 1 << 16;

    private int position;

    /** The next position in 0..LENGTH-1. */
    public int next() {
        return position++ & (LENGTH - 1);
    }
}
