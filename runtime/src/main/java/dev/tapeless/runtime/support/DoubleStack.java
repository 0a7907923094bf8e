package dev.tapeless.runtime.support;

import java.util.Arrays;

/**
 * The doubles a generated forward pass saves, one per iteration of a loop, for its reverse pass
 * to read back in reverse order. Grows by doubling: no allocation per iteration. Read by index
 * ({@code get(--at)} from {@code size()}), so that a pullback can be called more than once.
 */
public final class DoubleStack {
    private double[] values;
    private int size;

    public DoubleStack() {
        this(16);
    }

    /** @param capacity how many values to make room for at first (the trip count, when it is known) */
    public DoubleStack(int capacity) {
        values = new double[Math.max(capacity, 1)];
    }

    public void push(double value) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = value;
    }

    public double get(int index) {
        return values[index];
    }

    public int size() {
        return size;
    }
}
