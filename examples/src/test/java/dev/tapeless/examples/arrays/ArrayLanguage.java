package dev.tapeless.examples.arrays;

import dev.tapeless.Differentiable;

/**
 * The array language of double methods, a construct at a time, for {@code ArrayLanguageTest}:
 * {@code double[]} parameters (differentiated), {@code int[]}, {@code long[]}, {@code boolean[]} and
 * {@code double[][]} parameters (data), local arrays written and overwritten, {@code x.length},
 * enhanced for, and arrays passed to inlined callees.
 */
final class ArrayLanguage {
    private ArrayLanguage() {}

    /** Σ x_i², read by index in a counted loop. */
    @Differentiable
    static double sumOfSquares(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * x[i];
        }
        return s;
    }

    /** Two differentiated arrays read at the same index, up to the shorter length. */
    @Differentiable
    static double dot(double[] x, double[] y) {
        int n = x.length < y.length ? x.length : y.length;
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /** Differentiated in the array only: {@code s} is a double, but data here. */
    @Differentiable(wrt = "x")
    static double onlyTheArray(double[] x, double s) {
        double acc = 0;
        for (int i = 0; i < x.length; i++) {
            acc += Math.sin(s * x[i]) / (1 + i);
        }
        return acc * s;
    }

    /** The same body, differentiated in the double only: the array is data here. */
    @Differentiable(wrt = "s")
    static double onlyTheDouble(double[] x, double s) {
        double acc = 0;
        for (int i = 0; i < x.length; i++) {
            acc += Math.sin(s * x[i]) / (1 + i);
        }
        return acc * s;
    }

    /** {@code x' A x} with the matrix as data: {@code a[i][j]} reads, rows of their own lengths. */
    @Differentiable
    static double quadraticForm(double[] x, double[][] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double row = 0;
            for (int j = 0; j < a[i].length; j++) {
                row += a[i][j] * x[j];
            }
            s += x[i] * row;
        }
        return s;
    }

    /** {@code x.length} in conditions, with early returns for the short arrays. */
    @Differentiable
    static double byLength(double[] x, double y) {
        if (x.length == 0) return y * y;
        if (x.length == 1) return x[0] * y;
        double s = x[0] * x[x.length - 1];
        if (x.length > 3 && x.length % 2 == 0) {
            s += Math.exp(x[1]) * y;
        }
        return s;
    }

    /** Enhanced for with continue (skip negatives) and break (stop above the limit). */
    @Differentiable
    static double sqrtsUntilLarge(double[] x, double limit) {
        double s = 0;
        int used = 0;
        for (double v : x) {
            if (v < 0) continue;
            if (v > limit) break;
            used++;
            s += Math.sqrt(v) * used;
        }
        return s;
    }

    /** Nested enhanced for over one array; the inner loop breaks at the element the outer one holds. */
    @Differentiable
    static double pairs(double[] x) {
        double s = 0;
        for (double a : x) {
            for (double b : x) {
                if (b == a) break;
                s += a * Math.cos(b);
            }
        }
        return s;
    }

    /** An early return from inside a loop over the array; the other path returns the (data) threshold. */
    @Differentiable(wrt = "x")
    static double firstAbove(double[] x, double threshold) {
        for (int i = 0; i < x.length; i++) {
            if (x[i] > threshold) return x[i] * x[i] * (i + 1);
        }
        return threshold;
    }

    /** An early return from inside a loop, and a double parameter read on both paths. */
    @Differentiable
    static double firstPositive(double[] x, double t) {
        for (int i = 0; i < x.length; i++) {
            if (x[i] > 0) return Math.log(x[i]) * (i + 1) * t;
        }
        return t;
    }

    /** A while loop whose condition reads the array behind {@code &&} (no read past the end). */
    @Differentiable
    static double positivePrefix(double[] x) {
        double p = 1;
        int i = 0;
        while (i < x.length && x[i] > 0) {
            p *= x[i] + 1;
            i++;
        }
        return p;
    }

    /**
     * A local array written, then overwritten three times in loops and branches, each new value
     * computed from the old (which the reverse pass needs).
     */
    @Differentiable
    static double overwrites(double[] x, double t) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * t;
        }
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < y.length; i++) {
                if (y[i] > 0) {
                    y[i] = Math.sqrt(y[i] + 1) * y[i];
                } else {
                    y[i] = Math.sin(y[i]) - y[i] * y[i];
                }
            }
        }
        double s = 0;
        for (double v : y) {
            s += v;
        }
        return s;
    }

    /** An in-place sweep over a padded copy: each update reads the already-updated left neighbour. */
    @Differentiable
    static double sweep(double[] x, int passes) {
        double[] u = new double[x.length + 2];
        for (int i = 0; i < x.length; i++) {
            u[i + 1] = x[i];
        }
        for (int p = 0; p < passes; p++) {
            for (int i = 1; i <= x.length; i++) {
                u[i] = Math.tanh(u[i - 1] + u[i] * u[i + 1]);
            }
        }
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * (i + 1);
        }
        return s;
    }

    /** An array initializer of expressions, read at constant and computed indices, then written. */
    @Differentiable
    static double initializer(double a, double b, int k) {
        double[] p = {a, a * b, Math.exp(b), 2};
        double s = p[(k % 4 + 4) % 4] * p[1];
        p[0] += p[3];
        p[3] = s;
        return s + p[0] * p[2] - p[3] * a;
    }

    /** Reads of a local array keep their place among its writes: {@code a} is the value before the overwrite. */
    @Differentiable
    static double readBeforeOverwrite(double[] x) {
        double[] y = {x[0], x[1]};
        double a = y[0];
        y[0] = y[1] * 3;
        double b = y[0];
        y[1] = a;
        double swap = y[0];
        y[0] = y[1];
        y[1] = swap;
        return a * b + y[1] * y[0] * y[0];
    }

    /** Compound assignments, ++ and -- on elements of double and int local arrays. */
    @Differentiable
    static double compoundElements(double[] x, double c) {
        double[] y = new double[3];
        y[0] = c;
        for (int i = 0; i < x.length; i++) {
            y[0] *= 1 + x[i] * x[i];
            y[1] += x[i] / y[0];
            y[2] -= y[1] * x[i];
            y[i % 3]++;
            y[(i + 1) % 3]--;
            y[1] /= 1.5 + Math.cos(x[i]);
        }
        int[] k = new int[2];
        k[0]++;
        k[1] += 3;
        k[0] *= 5;
        k[1]--;
        return y[0] * k[0] + y[1] * k[1] + y[2];
    }

    /**
     * int[], boolean[] and long[] locals as data: an order of indices (reversed), flags of the
     * elements already taken, and counters. {@code pick} (data) says which elements to take, in order.
     */
    @Differentiable
    static double flags(double[] x, int[] pick) {
        int n = x.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = n - 1 - i;
        }
        boolean[] taken = new boolean[n];
        long[] counts = {0L, 0L};
        double s = 0;
        for (int q = 0; q < pick.length; q++) {
            int j = order[pick[q]];
            if (taken[j]) {
                counts[1]++;
                s += x[j] * x[j] * counts[1];
                continue;
            }
            taken[j] = true;
            counts[0] += 1;
            s += Math.log1p(x[j] * x[j]) * counts[0];
        }
        return s;
    }

    /** Data parameters of every array type: an int[] gather (repeated indices accumulate), long[] and boolean[] weights. */
    @Differentiable
    static double gather(double[] x, int[] index, long[] weight, boolean[] negate) {
        double s = 0;
        for (int i = 0; i < index.length; i++) {
            double v = x[index[i]] * weight[i];
            if (negate[i]) v = -v;
            s += v * x[index[i]];
        }
        return s;
    }

    /** The Euclidean norm, read by an enhanced for: called below with parameter and local arrays. */
    @Differentiable
    static double norm(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e * e;
        }
        return Math.sqrt(s);
    }

    /** Σ a_i b_i over the first {@code a.length} elements, and a data matrix row. */
    @Differentiable
    static double weighted(double[] a, double[] b, double[][] m, int row) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i] * m[row][i];
        }
        return s;
    }

    /** Arrays passed to inlined callees: a parameter array, a local array, and data arrays. */
    @Differentiable
    static double callsWithArrays(double[] x, double t, double[][] m) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * t + 1;
        }
        double s = norm(x) * t + norm(y) + weighted(x, y, m, 0);
        y[0] = s;
        return s + weighted(y, x, m, 1) + dot(y, x);
    }

    /** An enhanced for over an int[] of indices (data): repeated indices accumulate into one partial. */
    @Differentiable
    static double enhancedForOverIndices(double[] x, int[] pick) {
        double s = 0;
        for (int p : pick) {
            s += x[p] * Math.exp(-x[p]);
        }
        return s;
    }

    /** {@code y[i]++} and {@code ++y[i]} as values: the old and the new element. */
    @Differentiable
    static double incrementsAsValues(double[] x) {
        double[] y = {x[0], x[1]};
        double before = y[0]++;
        double after = ++y[1];
        y[1]--;
        return before * after * y[0] * y[1];
    }

    /** A while loop whose condition reads an element the body overwrites. */
    @Differentiable
    static double elementInLoopCondition(double[] x) {
        double[] y = {x[0]};
        int steps = 0;
        while (y[0] < 10) {
            y[0] = y[0] * 1.5 + x[1];
            steps++;
        }
        return y[0] * steps;
    }

    /** Writes and reads at indices that may be the same element: {@code y[i] = y[j] * y[i]}. */
    @Differentiable
    static double sameIndexReadAndWritten(double[] x, int i, int j) {
        double[] y = {x[0], x[1], x[2]};
        y[i] = y[j] * y[i];
        y[j] *= y[j];
        y[i] -= Math.sin(y[j]);
        return y[0] + 2 * y[1] + 3 * y[2];
    }

    /** Rows of a data matrix passed to an inlined callee that takes a double[]. */
    @Differentiable
    static double rowsToCallee(double[] w, double[][] xs) {
        double s = 0;
        for (int i = 0; i < xs.length; i++) {
            s += Math.tanh(dot(w, xs[i]));
        }
        return s;
    }

    /** A scatter: {@code y[index[k]] += x[k]} at computed, repeated indices, then a nonlinear read of each. */
    @Differentiable
    static double scatter(double[] x, int[] index) {
        double[] y = new double[3];
        for (int k = 0; k < index.length; k++) {
            y[index[k]] += x[k];
        }
        double s = 0;
        for (double v : y) {
            s += Math.sin(v) * v;
        }
        return s;
    }

    /** A local array written in a loop left by break, then read in full (unwritten elements are 0). */
    @Differentiable
    static double writtenUntilBreak(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.exp(x[i]);
            if (y[i] > 3) break;
        }
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += y[i] * y[i];
        }
        return s;
    }

    /** Early returns, one inside a branch, while a local array is being written. */
    @Differentiable
    static double returnsWhileWriting(double[] x) {
        double[] y = new double[2];
        y[0] = x[0] * x[0];
        if (y[0] > 1) {
            y[1] = Math.log(y[0]);
            return y[1] * y[0];
        }
        y[1] = y[0] * 3;
        y[0] = y[1] + 1;
        return y[0] * y[1];
    }

    /** Every element overwritten by a function of its old value, in a loop inside a loop. */
    @Differentiable
    static double nestedLoopOverwrites(double[] x) {
        double[] y = new double[x.length];
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < x.length; i++) {
                y[i] = Math.sin(y[i] + x[i] * (k + 1));
            }
        }
        double s = 0;
        for (double v : y) {
            s += v * v;
        }
        return s;
    }

    /** A do-while over the array and a loop counting down over a local array of data-given length. */
    @Differentiable
    static double doWhileAndCountingDown(double[] x, int n) {
        double[] acc = new double[1];
        int i = 0;
        do {
            acc[0] = acc[0] * x[i] + 1;
            i++;
        } while (i < x.length);
        double[] y = new double[n];
        for (int j = 0; j < n; j++) {
            y[j] = x[j % x.length] * (j + 1);
        }
        double p = acc[0];
        for (int j = n - 1; j >= 0; j--) {
            p = p * 0.9 + Math.cos(y[j]) * y[j];
        }
        return p;
    }

    /** An int[] element as the bound of an inner loop. */
    @Differentiable
    static double dataBounds(double[] x, int[] counts) {
        double s = 0;
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts[i]; j++) {
                s = s * 0.5 + x[i] * (j + 1);
            }
        }
        return s;
    }
}
