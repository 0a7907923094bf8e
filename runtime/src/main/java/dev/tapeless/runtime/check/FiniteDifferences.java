package dev.tapeless.runtime.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Numerical gradients by central finite differences, and the array comparisons used to check
 * analytic gradients (the tape's, the generated code's) against them.
 *
 * <p>Use DOUBLE arrays: with {@code eps = 1e-6} the truncation error of a central difference is
 * about {@code eps^2} and the rounding error about {@code 1e-16 |f| / eps}, so agreement to
 * {@code 1e-6} relative is a fair expectation for smooth functions. Stay away from kinks
 * ({@code relu}, {@code abs} at 0) and domain edges ({@code log}, {@code sqrt} at 0), where the
 * numerical and analytic answers legitimately differ.
 */
public final class FiniteDifferences {

    private FiniteDifferences() {}

    /**
     * The gradient of the scalar function {@code f} at {@code at}, one array per input, each of
     * that input's shape and data type: element {@code j} of input {@code i} is
     * {@code (f(.., x_ij + eps, ..) - f(.., x_ij - eps, ..)) / (2 eps)}, where the step actually
     * used is the one the array's data type can represent.
     *
     * <p>The caller's arrays are never written: {@code f} is applied to fresh copies (one set per
     * evaluation, so even an {@code f} that writes into its arguments cannot skew later
     * evaluations). {@code f} is evaluated {@code 2 * n} times for {@code n} elements in all.
     *
     * @param f   the function; gets a list as long as {@code at}, returns a finite or non-finite
     *            double (a non-finite value shows up in the result)
     * @param at  the point, one array per input (floating-point, any shape, rank 0 included)
     * @param eps the half step, {@code > 0}; {@code 1e-6} suits DOUBLE
     * @throws IllegalArgumentException for null arguments, a non-positive {@code eps}, a
     *                                  non-floating-point array, an {@code eps} too small to move
     *                                  an element in its data type, or {@code f} returning null
     */
    public static List<INDArray> gradient(Function<List<INDArray>, Double> f, List<INDArray> at, double eps) {
        if (f == null) {
            throw new IllegalArgumentException("gradient: f is null");
        }
        if (at == null) {
            throw new IllegalArgumentException("gradient: at is null");
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("gradient: eps must be positive and finite, got " + eps);
        }
        List<INDArray> points = new ArrayList<>(at.size());
        for (int i = 0; i < at.size(); i++) {
            INDArray a = at.get(i);
            if (a == null) {
                throw new IllegalArgumentException("gradient: at[" + i + "] is null");
            }
            if (!a.dataType().isFPType()) {
                throw new IllegalArgumentException(
                        "gradient: at[" + i + "] has data type " + a.dataType() + ", not a floating-point type");
            }
            points.add(a.dup('c'));
        }

        List<INDArray> gradients = new ArrayList<>(points.size());
        for (int i = 0; i < points.size(); i++) {
            INDArray p = points.get(i);
            INDArray gradient = Nd4j.zeros(p.dataType(), p.shape());
            for (long j = 0; j < p.length(); j++) {
                gradient.putScalar(j, partial(f, points, i, j, eps));
            }
            gradients.add(gradient);
        }
        return gradients;
    }

    /**
     * The partial derivatives with respect to some elements of one input only ({@code flatIndices}
     * of {@code at[input]} in row-major order): for large inputs, where the full gradient would
     * cost two evaluations of {@code f} per element.
     */
    public static double[] partials(Function<List<INDArray>, Double> f, List<INDArray> at, double eps, int input,
            long[] flatIndices) {
        List<INDArray> points = new ArrayList<>(at.size());
        for (INDArray a : at) points.add(a.dup('c'));
        double[] out = new double[flatIndices.length];
        for (int k = 0; k < flatIndices.length; k++) out[k] = partial(f, points, input, flatIndices[k], eps);
        return out;
    }

    /** One central difference, perturbing element {@code j} of {@code points[i]} in place and restoring it. */
    private static double partial(Function<List<INDArray>, Double> f, List<INDArray> points, int i, long j, double eps) {
        INDArray p = points.get(i);
        double x = p.getDouble(j);
        p.putScalar(j, x + eps);
        double xPlus = p.getDouble(j);
        double fPlus = evaluate(f, points);
        p.putScalar(j, x - eps);
        double xMinus = p.getDouble(j);
        double fMinus = evaluate(f, points);
        p.putScalar(j, x);
        if (xPlus == xMinus) {
            throw new IllegalArgumentException("gradient: eps " + eps + " does not change element "
                    + j + " (" + x + ") of at[" + i + "] in " + p.dataType() + "; use a larger eps");
        }
        return (fPlus - fMinus) / (xPlus - xMinus);
    }

    private static double evaluate(Function<List<INDArray>, Double> f, List<INDArray> points) {
        List<INDArray> copies = new ArrayList<>(points.size());
        for (INDArray p : points) {
            copies.add(p.dup('c'));
        }
        Double value = f.apply(Collections.unmodifiableList(copies));
        if (value == null) {
            throw new IllegalArgumentException("gradient: f returned null");
        }
        return value;
    }

    /**
     * The largest elementwise {@code |a - b|}; 0 for empty arrays. Equal elements count as 0 even
     * when infinite; a finite element against an infinite one counts as {@code +inf}; any NaN in
     * either array makes the result NaN (so {@code maxAbsDiff(a, b) < tol} fails). The data
     * types may differ: elements are compared as doubles.
     *
     * @throws IllegalArgumentException if an array is null or the shapes differ
     */
    public static double maxAbsDiff(INDArray a, INDArray b) {
        return maxDiff("maxAbsDiff", a, b, false);
    }

    /**
     * The largest elementwise {@code |a - b| / max(1, |b|)}: a relative difference for large
     * elements of {@code b} (the reference), an absolute one near zero. Non-finite elements and
     * NaN as in {@link #maxAbsDiff}.
     *
     * @throws IllegalArgumentException if an array is null or the shapes differ
     */
    public static double maxRelDiff(INDArray a, INDArray b) {
        return maxDiff("maxRelDiff", a, b, true);
    }

    private static double maxDiff(String op, INDArray a, INDArray b, boolean relative) {
        if (a == null || b == null) {
            throw new IllegalArgumentException(op + ": " + (a == null ? "a" : "b") + " is null");
        }
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + " differ");
        }
        long n = a.length();
        if (n == 0) {
            return 0.0;
        }
        double[] av = a.dup('c').data().asDouble();
        double[] bv = b.dup('c').data().asDouble();
        double max = 0.0;
        for (int i = 0; i < n; i++) {
            double x = av[i];
            double y = bv[i];
            double d;
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return Double.NaN;
            } else if (x == y) {
                d = 0.0;
            } else if (Double.isInfinite(x) || Double.isInfinite(y)) {
                d = Double.POSITIVE_INFINITY;
            } else {
                d = Math.abs(x - y);
                if (relative) {
                    d /= Math.max(1.0, Math.abs(y));
                }
            }
            max = Math.max(max, d);
        }
        return max;
    }
}
