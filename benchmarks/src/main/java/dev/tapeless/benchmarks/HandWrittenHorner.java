package dev.tapeless.benchmarks;

/**
 * The adjoint of {@code Horner.horner} written by hand, in reverse mode: the forward sweep saves
 * the partial value {@code p} before each step in one array, and the backward sweep walks the
 * coefficients from the last, where {@code p = p x + a[i]} sends its adjoint to {@code a[i]}
 * unchanged, {@code d_p p} to {@code x}, and {@code d_p x} back to the {@code p} before it.
 */
final class HandWrittenHorner {
    private HandWrittenHorner() {}

    record Gradient(double value, double[] a, double x) {}

    static Gradient hornerGradient(double[] a, double x) {
        int n = a.length;
        double[] before = new double[n]; // before[i]: p before the step that adds a[i] (i >= 1)
        double p = a[0];
        for (int i = 1; i < n; i++) {
            before[i] = p;
            p = p * x + a[i];
        }
        double[] da = new double[n];
        double dp = 1;
        double dx = 0;
        for (int i = n - 1; i >= 1; i--) {
            da[i] = dp;
            dx += dp * before[i];
            dp *= x;
        }
        da[0] = dp;
        return new Gradient(p, da, dx);
    }
}
