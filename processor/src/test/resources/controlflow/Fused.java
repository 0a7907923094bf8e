package cf;

import dev.tapeless.Differentiable;

/**
 * Loops whose reverse only adds up, which the gradient runs in the same pass as the forward loop,
 * and loops next to them that must not fuse. {@code FusionTest} counts the loops of each gradient;
 * {@code ControlFlowTest} checks every method's values.
 */
final class Fused {
    private Fused() {}

    /** Fuses; each element's adjoint is written once. */
    @Differentiable
    static double sumOfSquares(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        return s;
    }

    /** Fuses; w's adjoint is a sum the fused loop carries. */
    @Differentiable
    static double weighted(double[] x, double w) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += Math.sin(w * x[i]);
        return s;
    }

    /** Does not fuse: the adjoint of the sum is 1 / s, known only after the loop. */
    @Differentiable
    static double logOfSum(double[] x) {
        double s = 1;
        for (double v : x) s += v * v;
        return Math.log(s);
    }

    /** Fuses: the adjoint of the sum, 1 / n, is known before the loop. */
    @Differentiable
    static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        return s / x.length;
    }

    /** Fuses, but adds into each element twice (the index is not the counter). */
    @Differentiable
    static double pairs(double[] x) {
        double s = 0;
        for (int i = 0; i < 2 * x.length; i++) s += x[i / 2] * x[i / 2] * i;
        return s;
    }

    /** Fuses; the adjoint of x[0], read after the loop, is added before it. */
    @Differentiable
    static double plusFirst(double[] x) {
        double s = 0;
        for (double v : x) s += Math.exp(v);
        return s + 3 * x[0];
    }

    /** Fuses; a branch decides what each iteration adds. */
    @Differentiable
    static double positives(double[] x) {
        double s = 0;
        for (double v : x) {
            if (v > 0) s += v * v;
            else s -= v;
        }
        return s;
    }

    /** Fuses; the loop can stop early, and the condition reads the sum. */
    @Differentiable
    static double untilLarge(double[] x) {
        double s = 0;
        for (double v : x) {
            if (s > 3) break;
            s += v * v;
        }
        return s;
    }

    /** The outer loop fuses; the inner dot product does not (its adjoint needs the dot). */
    @Differentiable
    static double rows(double[][] xs, double[] w) {
        double s = 0;
        for (double[] row : xs) {
            double dot = 0;
            for (int j = 0; j < w.length; j++) dot += row[j] * w[j];
            s += dot * dot;
        }
        return s;
    }

    /** Does not fuse: the carried value is multiplied (Horner's rule). */
    @Differentiable
    static double horner(double[] c, double x) {
        double p = 0;
        for (int i = c.length - 1; i >= 0; i--) p = p * x + c[i];
        return p;
    }

    /** Fuses; the elements read were written before the loop (their adjoints flow back after it). */
    @Differentiable
    static double local(double[] x) {
        double[] y = new double[3];
        y[0] = x[0];
        y[1] = x[0] * 2;
        y[2] = 3;
        double s = 0;
        for (int i = 0; i < 3; i++) s += y[i] * y[i];
        return s;
    }

    /** Fuses; two sums, one of them scaled by a parameter. */
    @Differentiable
    static double twoSums(double[] x, double a) {
        double s = 0;
        double t = 0;
        for (double v : x) {
            s += v * a;
            t += v * v;
        }
        return s + 2 * t;
    }

    /** Fuses, counting down; each element's adjoint is written once. */
    @Differentiable
    static double backwards(double[] x) {
        double s = 0;
        for (int i = x.length - 1; i >= 0; i--) s += x[i] * x[i] * x[i];
        return s;
    }

    /** Does not fuse: the loop overwrites a local array's elements, which the reverse must restore in order. */
    @Differentiable
    static double overwrites(double[] x) {
        double[] y = new double[2];
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            y[i % 2] = x[i] * y[(i + 1) % 2] + x[i];
            s += y[i % 2];
        }
        return s;
    }

    /** Fuses with a sum whose adjoint, scaled by a data parameter, is known before the loop. */
    @Differentiable
    static double scaled(double[] x, int k, int n) {
        double s = 0;
        for (int i = 0; i < Math.min(n, x.length); i++) s += x[i] * x[i];
        return k * s;
    }

    /**
     * Does not fuse: after the loop, y[1] is overwritten; the reverse of that write reads y[1]'s
     * adjoint before the reverse loop adds into it, which a fused loop would do first.
     */
    @Differentiable
    static double storeAfter(double[] x, double p) {
        double[] y = new double[2];
        y[0] = x[0];
        y[1] = p;
        double s = 0;
        for (int i = 0; i < 2; i++) s += y[i] * y[i];
        y[1] = p * 3;
        return s + y[1];
    }

    /**
     * Fuses; the reverse of the branch yields the sum's adjoint, a constant made between the two
     * loops (found by review: it was not moved before the fused loop, and the optimizer failed).
     */
    @Differentiable
    static double masked(double t, boolean[] on) {
        double s = 0;
        for (int i = 0; i < on.length; i++) {
            if (on[i]) s += t;
        }
        return s;
    }

    /** Fuses; a counter-masked sum. */
    @Differentiable
    static double everyOther(double[] x, double t) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            if (i % 2 == 0) s += t * x[i];
        }
        return s;
    }
}
