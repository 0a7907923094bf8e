package dev.tapeless.runtime.support;

import java.util.Arrays;

/**
 * The ints a generated forward pass saves, one per iteration of a loop, for its reverse pass
 * to read back in reverse order. Grows by doubling: no allocation per iteration. Read by index
 * ({@code get(--at)} from {@code size()}), so that a pullback can be called more than once.
 */
public final class IntStack {
    private int[] values;
    private int size;

    public IntStack() {
        this(16);
    }

    /** @param capacity how many values to make room for at first (the trip count, when it is known) */
    public IntStack(int capacity) {
        values = new int[Math.max(capacity, 1)];
    }

    public void push(int value) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = value;
    }

    public int get(int index) {
        return values[index];
    }

    public int size() {
        return size;
    }
}
