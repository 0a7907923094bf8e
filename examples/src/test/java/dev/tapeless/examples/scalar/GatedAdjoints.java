package dev.tapeless.examples.scalar;

import dev.tapeless.Differentiable;

/**
 * Functions whose reverse pass skips the adjoint of the operand not taken, for
 * {@code GatedAdjointsTest}: {@code ?:}, nested, and {@code Math.min}/{@code max}.
 */
final class GatedAdjoints {
    private GatedAdjoints() {}

    /** A chain of work on each side of one condition. */
    @Differentiable
    static double branches(double x, double y) {
        double taken = x > y ? Math.exp(x) * y * y : Math.log(y) / x;
        return taken * x + y;
    }

    /** At x >= 0.5 the operand not taken is exp(1000 x²): infinite, with an infinite derivative. */
    @Differentiable
    static double overflowNotTaken(double x) {
        return x < 0.5 ? Math.exp(1000 * x * x) : x * x;
    }

    /** At x = 0 the operand not taken is log(0) = -inf, whose derivative 1/x is infinite. */
    @Differentiable
    static double logWhenPositive(double x) {
        return x > 0 ? Math.log(x) : x;
    }

    /** Selections inside selections: each operand's adjoint under two conditions. */
    @Differentiable
    static double nested(double x, double y) {
        double inner = y > 0 ? Math.sqrt(y) * x : Math.log(-y) * x * x;
        double outer = x > 0 ? inner * Math.exp(x) : Math.sqrt(-x) + inner;
        return x > 1 ? outer : outer * y;
    }

    /** A selection within an operand of another: at x < 0, log(x) is NaN on both inner sides. */
    @Differentiable
    static double insideNotTaken(double x, double y) {
        return x > 0 ? (y > 0 ? Math.log(x) * y * y : Math.log(x) - y) : x * y;
    }

    /** min and max, with an operand that overflows where it is not taken (x > 0.8). */
    @Differentiable
    static double minMax(double x, double y) {
        double low = Math.min(Math.exp(1000 * x), y * y);
        return Math.max(low * x, Math.sin(y)) + Math.min(x, y);
    }
}
