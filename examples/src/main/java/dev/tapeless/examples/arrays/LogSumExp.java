package dev.tapeless.examples.arrays;

import dev.tapeless.Differentiable;

/**
 * {@code log(Σ exp(x_i))} over a {@code double[]}, computed stably: shifted by the largest element,
 * so no {@code exp} overflows however large the inputs are, and the largest term is exactly 1. Its
 * gradient is the softmax of {@code x}. See the generated {@code LogSumExpDerivatives}.
 */
public final class LogSumExp {
    private LogSumExp() {}

    /**
     * {@code max + log(Σ exp(x_i - max))}. An empty array gives {@code -∞} (the log of an empty sum),
     * as the definition does.
     */
    @Differentiable
    public static double logSumExp(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            if (v > max) max = v;
        }
        double sum = 0;
        for (double v : x) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }
}
