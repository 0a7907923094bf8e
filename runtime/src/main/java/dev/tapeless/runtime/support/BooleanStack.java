package dev.tapeless.runtime.support;

import java.util.Arrays;

/**
 * The booleans a generated forward pass saves, one per iteration of a loop, for its reverse pass
 * to read back in reverse order. Grows by doubling: no allocation per iteration. Read by index
 * ({@code get(--at)} from {@code size()}), so that a pullback can be called more than once.
 */
public final class BooleanStack {
    private boolean[] values;
    private int size;

    public BooleanStack() {
        this(16);
    }

    /** @param capacity how many values to make room for at first (the trip count, when it is known) */
    public BooleanStack(int capacity) {
        values = new boolean[Math.max(capacity, 1)];
    }

    public void push(boolean value) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = value;
    }

    public boolean get(int index) {
        return values[index];
    }

    public int size() {
        return size;
    }
}
