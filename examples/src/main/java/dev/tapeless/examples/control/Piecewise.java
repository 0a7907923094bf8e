package dev.tapeless.examples.control;

import dev.tapeless.Differentiable;

/**
 * Functions defined piece by piece, written the way one writes them by hand: {@code if} / {@code
 * else if} chains with a {@code return} inside each branch. The generated gradient differentiates
 * the branch that runs, so it is the derivative of the piece the input falls in.
 */
public final class Piecewise {
    private Piecewise() {}

    /**
     * The uniform cubic B-spline, four cubic pieces (two by symmetry) joined with continuous first
     * and second derivatives, zero outside {@code (-2, 2)}:
     * <pre>
     *   2/3 - x² + |x|³/2     for |x| &lt; 1
     *   (2 - |x|)³ / 6        for 1 ≤ |x| &lt; 2
     *   0                     from 2 on
     * </pre>
     */
    @Differentiable
    public static double bspline(double x) {
        double a = x < 0 ? -x : x;
        if (a >= 2) {
            return 0;
        } else if (a >= 1) {
            double t = 2 - a;
            return t * t * t / 6;
        }
        return 2.0 / 3 - a * a + a * a * a / 2;
    }

    /**
     * A smooth curve through four control values: {@code Σ c_k B(x - k)} over k = 0..3, each term a
     * call to {@link #bspline} (inlined, early returns and all). Its partial in {@code c_k} is the
     * basis function {@code B(x - k)}.
     */
    @Differentiable
    public static double curve(double x, double c0, double c1, double c2, double c3) {
        return c0 * bspline(x) + c1 * bspline(x - 1) + c2 * bspline(x - 2) + c3 * bspline(x - 3);
    }

    /**
     * The Huber loss of a residual {@code r}: quadratic within {@code delta} of zero, linear (with
     * the slope of the quadratic at the joint) beyond, so that one large residual does not dominate
     * a fit.
     */
    @Differentiable
    public static double huber(double r, double delta) {
        double a = Math.abs(r);
        if (a <= delta) {
            return 0.5 * r * r;
        }
        return delta * (a - 0.5 * delta);
    }

    /**
     * Income tax under four brackets, 0% up to 10,000, 20% up to 40,000, 40% up to 150,000 and 45%
     * above. The derivative in {@code income} is the marginal rate, the one of the bracket the
     * income falls in; the derivative in {@code allowance} (the tax-free amount) is minus it.
     */
    @Differentiable
    public static double tax(double income, double allowance) {
        double taxable = income - allowance;
        if (taxable <= 0) {
            return 0;
        } else if (taxable <= 30_000) {
            return 0.2 * taxable;
        } else if (taxable <= 140_000) {
            return 6_000 + 0.4 * (taxable - 30_000);
        } else {
            return 50_000 + 0.45 * (taxable - 140_000);
        }
    }
}
