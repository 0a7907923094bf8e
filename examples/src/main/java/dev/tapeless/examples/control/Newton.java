package dev.tapeless.examples.control;

import dev.tapeless.Differentiable;

/**
 * Square and cube roots by Newton's iteration, differentiated through the iteration itself. The
 * derivative of the iterates converges with them, so the generated gradient is the derivative of
 * the root ({@code 1 / (2 sqrt a)}, {@code 1 / (3 cbrt(a)²)}) to rounding, without knowing that
 * the loop computes a root.
 */
public final class Newton {
    private Newton() {}

    /**
     * The square root of {@code a >= 0} by a fixed number of Heron steps {@code y = (y + m / y) / 2}.
     * Two loops first bring {@code a} into {@code [1/4, 4]} by powers of four (exact: only the
     * exponent changes), so that six steps from 1 reach full precision for any positive double;
     * the root is then scaled back by the matching power of two.
     */
    @Differentiable
    public static double sqrt(double a) {
        if (a == 0) {
            return 0; // the derivative, infinite here, is taken to be 0
        }
        double m = a;
        double scale = 1;
        while (m > 4) {
            m *= 0.25;
            scale *= 2;
        }
        while (m < 0.25) {
            m *= 4;
            scale *= 0.5;
        }
        double y = 1;
        for (int step = 0; step < 6; step++) {
            y = 0.5 * (y + m / y);
        }
        return y * scale;
    }

    /**
     * The square root of {@code a > 0} by Heron steps from {@code max(a, 1)} until two iterates agree
     * to {@code tolerance} relative to the last one, or after {@code maxSteps} steps: the number of
     * steps depends on the data. Only {@code a} is differentiated.
     */
    @Differentiable(wrt = "a")
    public static double sqrtUntilConverged(double a, double tolerance, int maxSteps) {
        double y = a > 1 ? a : 1;
        double next = 0.5 * (y + a / y);
        int steps = 1;
        while (Math.abs(next - y) > tolerance * next && steps < maxSteps) {
            y = next;
            next = 0.5 * (y + a / y);
            steps++;
        }
        return next;
    }

    /**
     * The cube root of any double by Newton's steps {@code y = (2y + m / y²) / 3}: the sign taken
     * out, the magnitude brought into {@code [1, 8)} by powers of eight, seven steps from 1.5, and
     * the root scaled back by the matching power of two.
     */
    @Differentiable
    public static double cbrt(double a) {
        if (a == 0) {
            return 0;
        }
        double sign = 1;
        double m = a;
        if (a < 0) {
            sign = -1;
            m = -a;
        }
        double scale = 1;
        while (m >= 8) {
            m *= 0.125;
            scale *= 2;
        }
        while (m < 1) {
            m *= 8;
            scale *= 0.5;
        }
        double y = 1.5;
        for (int step = 0; step < 7; step++) {
            y = (2 * y + m / (y * y)) / 3;
        }
        return sign * y * scale;
    }
}
