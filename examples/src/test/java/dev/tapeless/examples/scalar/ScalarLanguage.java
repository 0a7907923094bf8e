package dev.tapeless.examples.scalar;

import dev.tapeless.Differentiable;

/** The scalar language, a construct at a time, for {@code ScalarLanguageTest}. */
final class ScalarLanguage {
    private ScalarLanguage() {}

    static final double HALF = 0.5;
    static final int THREE = 3;
    /** Not final: the generated code reads it at run time, as the original does. */
    static double scale = 2.0;

    /** int and long parameters and literals are data, promoted as Java promotes them. */
    @Differentiable
    static double intData(double x, int n, long m) {
        double half = n / 2; // int division, then widened
        double exact = n / 2.0;
        long big = m * 3;
        return x * half + x * x * exact + big / 4 * x + (double) n / m + 7 / 2;
    }

    /** Zeros keep their sign as in Java: 0 + (-0.0) is +0.0. */
    @Differentiable
    static double zeroPlus(double x) {
        double s = 0;
        s += x;
        return s;
    }

    /** 0 - (+0.0) is +0.0. */
    @Differentiable
    static double zeroMinus(double x) {
        return 0 - x;
    }

    /** Parentheses that change the value: the generated code must keep every one of them. */
    @Differentiable
    static double grouping(double x, double y, double z, int n) {
        return x - (y - z) + x / (y * z) - (x + y) * (y - z) + -(x * y) / (n / 3) + (double) (n / 2)
                - x * (y - (z - x)) + (x > y ? y - z : z - y) * (y > z ? 1 : 2);
    }

    @Differentiable
    static double compound(double x, double y) {
        double a = x;
        a += y;
        a *= x;
        a -= 3 * y;
        a /= 1 + y * y;
        int k = 7;
        k /= 2;
        k *= 2;
        k -= 1;
        k += THREE;
        a += k;
        a = -a + (x - y) * -(x + y);
        return +a;
    }

    @Differentiable
    static double fields(double x) {
        return x * scale + HALF * THREE * x + Math.PI;
    }

    /** Blocks scope their locals; assignments to outer locals stay. */
    @Differentiable
    static double blocks(double x) {
        double a = x * x;
        {
            double b = a + x;
            a = b * 3;
        }
        double b = Math.sin(a);
        return b + a;
    }

    @Differentiable
    static double piecewise(double x, double y) {
        double lo = x < y ? x * y : x + y;
        double hi = x >= 1 ? Math.exp(x) : 1 + x;
        double z = y <= 0 ? -y : y * y;
        return lo + hi + z + (x > y ? 1 : 0);
    }

    @Differentiable
    static double lessThan(double x, double y) {
        return x < y ? x : y;
    }

    @Differentiable
    static double atMost(double x, double y) {
        return x <= y ? x : y;
    }

    @Differentiable
    static double greaterThan(double x, double y) {
        return x > y ? x : y;
    }

    @Differentiable
    static double atLeast(double x, double y) {
        return x >= y ? x : y;
    }

    /** Both operands of ?: are computed: at x < 0 the square root is NaN, unused; its adjoint is skipped. */
    @Differentiable
    static double sqrtWhenPositive(double x) {
        return x > 0 ? Math.sqrt(x) : 0.0;
    }

    /** The cure once needed: give the branch not taken an argument where it is finite. */
    @Differentiable
    static double sqrtWhenPositiveSafely(double x) {
        double safe = x > 0 ? x : 1;
        return x > 0 ? Math.sqrt(safe) : 0.0;
    }

    /** Calls other {@code @Differentiable} methods (inlined), with int arguments widened. */
    @Differentiable
    static double callsOthers(double x, int n) {
        return compound(x, n) * compound(n, x) + fields(x * x) - piecewise(x, 0.5);
    }

    /** Only {@code y} is differentiated; {@code x} is a double passed through. */
    @Differentiable(wrt = "y")
    static double onlyY(double x, double y) {
        return x * Math.log(y);
    }

    /** A result that does not depend on a parameter has a zero partial in it. */
    @Differentiable
    static double ignoresY(double x, double y) {
        return 3.0 * x;
    }
}
