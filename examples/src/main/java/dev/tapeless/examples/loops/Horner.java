package dev.tapeless.examples.loops;

import dev.tapeless.Differentiable;

/**
 * A polynomial evaluated by Horner's rule. Its gradient holds the derivative in {@code x}, and in
 * each coefficient the power of {@code x} it multiplies.
 */
public final class Horner {
    private Horner() {}

    /**
     * {@code a[0] x^(n-1) + a[1] x^(n-2) + ... + a[n-1]}: the coefficients come highest power
     * first, and {@code a} must not be empty.
     */
    @Differentiable
    public static double horner(double[] a, double x) {
        double p = a[0];
        for (int i = 1; i < a.length; i++) {
            p = p * x + a[i];
        }
        return p;
    }
}
