package dev.tapeless.library;

import dev.tapeless.Derivative;
import dev.tapeless.Differentiable;
import org.apache.commons.math3.special.Erf;

/**
 * The standard normal distribution, by Apache Commons Math: a call into a library Tapeless cannot
 * read, with its derivative given by hand.
 */
public final class Normal {
    private Normal() {}

    /** N(x), from {@code erfc}: accurate in both tails (N(-30) is 4.9e-198, not 0). */
    @Differentiable
    public static double cdf(double x) {
        return 0.5 * Erf.erfc(-x / Math.sqrt(2));
    }

    /** N'(x) = φ(x), times the upstream adjoint. */
    @Derivative(of = "cdf")
    public static double cdfDerivative(double x, double upstream) {
        return upstream * density(x);
    }

    /** The density φ(x). */
    public static double density(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }
}
