package dev.tapeless.examples;

import dev.tapeless.Differentiable;

/**
 * The Rosenbrock function of six variables, a sum of five coupled valleys, each written as a call
 * to another {@code @Differentiable} method (inlined into the generated code). Its minimum is 0,
 * at all ones.
 */
public final class Rosenbrock {
    private Rosenbrock() {}

    @Differentiable
    public static double rosenbrock(double x0, double x1, double x2, double x3, double x4, double x5) {
        return valley(x0, x1) + valley(x1, x2) + valley(x2, x3) + valley(x3, x4) + valley(x4, x5);
    }

    /** One term: {@code 100 (b - a²)² + (1 - a)²}. */
    @Differentiable
    public static double valley(double a, double b) {
        double across = b - a * a;
        double along = 1 - a;
        return 100 * across * across + along * along;
    }
}
