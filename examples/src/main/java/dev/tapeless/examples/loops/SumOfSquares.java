package dev.tapeless.examples.loops;

import dev.tapeless.Differentiable;

/**
 * The sum of the squares of an array's elements, read with an enhanced for loop. Its gradient is
 * {@code 2 x}: the generated reverse loop reads {@code x} again rather than saving anything.
 */
public final class SumOfSquares {
    private SumOfSquares() {}

    /** {@code x[0]² + x[1]² + ... }, added in index order. */
    @Differentiable
    public static double sumOfSquares(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v * v;
        }
        return sum;
    }
}
