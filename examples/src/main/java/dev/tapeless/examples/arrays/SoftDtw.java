package dev.tapeless.examples.arrays;

import dev.tapeless.Differentiable;

/**
 * Soft dynamic time warping (Cuturi and Blondel, 2017): a differentiable distance between two
 * series that may be stretched in time against each other. It is a dynamic program over the
 * alignment grid, computed here one row at a time in a single array that each row overwrites: the
 * reverse pass needs the values each row overwrote. See the generated {@code SoftDtwDerivatives}.
 */
public final class SoftDtw {
    private SoftDtw() {}

    /**
     * The soft minimum {@code -γ log(exp(-a/γ) + exp(-b/γ) + exp(-c/γ))}, shifted by the smallest
     * of the three so that no {@code exp} overflows; it tends to {@code min(a, b, c)} as
     * {@code γ → 0}. Infinite arguments (cells outside the grid) contribute nothing.
     */
    @Differentiable
    public static double softMin(double a, double b, double c, double gamma) {
        double least = Math.min(a, Math.min(b, c));
        double sum = Math.exp((least - a) / gamma) + Math.exp((least - b) / gamma) + Math.exp((least - c) / gamma);
        return least - gamma * Math.log(sum);
    }

    /**
     * Soft-DTW between {@code x} (differentiated) and {@code y} (data) with smoothing
     * {@code gamma > 0}: {@code r(i, j) = (x_i - y_j)² + softMin(r(i-1, j-1), r(i-1, j), r(i, j-1))},
     * with {@code r(0, 0) = 0} and infinity elsewhere on the border; the result is
     * {@code r(x.length, y.length)}. {@code row[j]} holds {@code r(i-1, j)} until row {@code i}
     * overwrites it with {@code r(i, j)}.
     */
    @Differentiable(wrt = "x")
    public static double softDtw(double[] x, double[] y, double gamma) {
        double[] row = new double[y.length + 1];
        for (int j = 1; j <= y.length; j++) {
            row[j] = Double.POSITIVE_INFINITY;
        }
        for (int i = 0; i < x.length; i++) {
            double diagonal = row[0];
            row[0] = Double.POSITIVE_INFINITY;
            for (int j = 1; j <= y.length; j++) {
                double above = row[j];
                double d = x[i] - y[j - 1];
                row[j] = d * d + softMin(diagonal, above, row[j - 1], gamma);
                diagonal = above;
            }
        }
        return row[y.length];
    }
}
