package cf;

import dev.tapeless.Differentiable;

public class Arr {
    @Differentiable
    static double sumSquares(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * x[i];
        return s;
    }

    @Differentiable
    static double horner(double[] a, double x) {
        double y = 0;
        for (int i = a.length - 1; i >= 0; i--) y = y * x + a[i];
        return y;
    }

    @Differentiable
    static double logSumExp(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) m = Math.max(m, v);
        double s = 0;
        for (double v : x) s += Math.exp(v - m);
        return m + Math.log(s);
    }

    @Differentiable
    static double prefix(double[] x, double c) {
        double[] y = new double[x.length];
        y[0] = x[0] * c;
        for (int i = 1; i < x.length; i++) {
            y[i] = y[i - 1] * c + x[i];
            if (y[i] > 3) y[i] = Math.sqrt(y[i]);
        }
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            y[i] = y[i] * y[i];
            s += y[i];
        }
        return s;
    }

    @Differentiable
    static double logistic(double[] w, double[][] xs, int[] labels) {
        double loss = 0;
        for (int n = 0; n < xs.length; n++) {
            double z = 0;
            for (int j = 0; j < w.length; j++) z += w[j] * xs[n][j];
            double p = 1 / (1 + Math.exp(-z));
            loss -= labels[n] == 1 ? Math.log(p) : Math.log(1 - p);
        }
        return loss / xs.length;
    }

    @Differentiable
    static double local(double a, double b) {
        double[] v = {a, b, a * b};
        v[1] += v[0];
        v[2]++;
        return v[0] * v[1] + v[2];
    }
}
