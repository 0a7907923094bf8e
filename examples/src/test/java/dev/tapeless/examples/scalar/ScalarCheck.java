package dev.tapeless.examples.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

/**
 * Checks for generated scalar derivatives: central finite differences of the original method
 * (plain Java, so it runs as it is), and comparisons that name the point and the component.
 */
final class ScalarCheck {
    private ScalarCheck() {}

    /** A function of several doubles: the original method, or a generated entry point. */
    @FunctionalInterface
    interface Fn {
        double at(double... x);
    }

    /** A generated gradient as an array: the value first, then one partial per differentiated parameter. */
    @FunctionalInterface
    interface Grad {
        double[] at(double... x);
    }

    /**
     * The partial derivative of {@code f} in {@code x[i]} by the five-point central difference
     * {@code (f(x-2h) - 8 f(x-h) + 8 f(x+h) - f(x+2h)) / 12h}, truncation error O(h⁴): with
     * {@code h = 1e-3 max(1, |x_i|)} good to about 1e-10 on smooth functions.
     */
    static double partial(Fn f, int i, double... x) {
        double h = 1e-3 * Math.max(1, Math.abs(x[i]));
        double m2 = f.at(shifted(x, i, -2 * h));
        double m1 = f.at(shifted(x, i, -h));
        double p1 = f.at(shifted(x, i, h));
        double p2 = f.at(shifted(x, i, 2 * h));
        return (m2 - 8 * m1 + 8 * p1 - p2) / (12 * h);
    }

    private static double[] shifted(double[] x, int i, double by) {
        double[] y = x.clone();
        y[i] += by;
        return y;
    }

    /**
     * The generated value equals the original's exactly (the same operations in the same order),
     * and each generated partial equals the finite difference within {@code tolerance} relative
     * to {@code max(1, |partial|)}.
     */
    static void matchesFiniteDifferences(String name, Fn original, Grad generated, double tolerance, double... x) {
        double[] g = generated.at(x);
        String at = name + " at " + Arrays.toString(x);
        assertEquals(original.at(x), g[0], at + ": value");
        assertEquals(x.length + 1, g.length, at + ": one partial per parameter");
        for (int i = 0; i < x.length; i++) {
            double numeric = partial(original, i, x);
            assertClose(numeric, g[i + 1], tolerance, at + ": d/dx" + i);
        }
    }

    static void assertClose(double expected, double actual, double relativeTolerance, String message) {
        double scale = Math.max(1, Math.abs(expected));
        assertTrue(Math.abs(expected - actual) <= relativeTolerance * scale,
                message + ": expected " + expected + ", got " + actual
                        + " (difference " + Math.abs(expected - actual) + ", allowed " + relativeTolerance * scale + ")");
    }
}
