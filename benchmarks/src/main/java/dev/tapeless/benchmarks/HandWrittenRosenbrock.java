package dev.tapeless.benchmarks;

/** The gradient of {@code Rosenbrock.rosenbrock} written by hand from its closed form: the baseline for the generated one. */
final class HandWrittenRosenbrock {
    private HandWrittenRosenbrock() {}

    record Gradient(double value, double x0, double x1, double x2, double x3, double x4, double x5) {}

    static Gradient rosenbrockGradient(double x0, double x1, double x2, double x3, double x4, double x5) {
        double a0 = x1 - x0 * x0;
        double a1 = x2 - x1 * x1;
        double a2 = x3 - x2 * x2;
        double a3 = x4 - x3 * x3;
        double a4 = x5 - x4 * x4;
        double b0 = 1 - x0;
        double b1 = 1 - x1;
        double b2 = 1 - x2;
        double b3 = 1 - x3;
        double b4 = 1 - x4;
        double value = 100 * (a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3 + a4 * a4)
                + (b0 * b0 + b1 * b1 + b2 * b2 + b3 * b3 + b4 * b4);
        // d/dx_i = -400 x_i a_i - 2 b_i + 200 a_{i-1}
        return new Gradient(value,
                -400 * x0 * a0 - 2 * b0,
                -400 * x1 * a1 - 2 * b1 + 200 * a0,
                -400 * x2 * a2 - 2 * b2 + 200 * a1,
                -400 * x3 * a3 - 2 * b3 + 200 * a2,
                -400 * x4 * a4 - 2 * b4 + 200 * a3,
                200 * a4);
    }
}
