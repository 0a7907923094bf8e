package dev.tapeless.runtime.support;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The arrays (references: generated code never writes into an array it has computed) a generated forward pass saves, one per iteration of a loop, for its reverse pass
 * to read back in reverse order. Grows by doubling: no allocation per iteration. Read by index
 * ({@code get(--at)} from {@code size()}), so that a pullback can be called more than once.
 */
public final class ArrayStack {
    private INDArray[] values;
    private int size;

    public ArrayStack() {
        this(16);
    }

    /** @param capacity how many values to make room for at first (the trip count, when it is known) */
    public ArrayStack(int capacity) {
        values = new INDArray[Math.max(capacity, 1)];
    }

    public void push(INDArray value) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = value;
    }

    public INDArray get(int index) {
        return values[index];
    }

    public int size() {
        return size;
    }
}
