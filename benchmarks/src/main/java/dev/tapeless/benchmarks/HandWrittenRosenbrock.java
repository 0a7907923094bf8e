package dev.tapeless.benchmarks;

/**
 * The adjoint of {@code Rosenbrock.rosenbrock} written by hand: a forward sweep that computes the
 * value as the source does (five valleys, added in order), then a reverse sweep with the algebra a
 * person does on the way (the adjoint of {@code 100 u²} is {@code 200 u}, of {@code b - a²} in
 * {@code a} is {@code -2a}).
 */
final class HandWrittenRosenbrock {
    private HandWrittenRosenbrock() {}

    record Gradient(double value, double x0, double x1, double x2, double x3, double x4, double x5) {}

    static Gradient rosenbrockGradient(double x0, double x1, double x2, double x3, double x4, double x5) {
        // Forward sweep: valley(a, b) = 100 (b - a²)² + (1 - a)².
        double across0 = x1 - x0 * x0;
        double along0 = 1 - x0;
        double across1 = x2 - x1 * x1;
        double along1 = 1 - x1;
        double across2 = x3 - x2 * x2;
        double along2 = 1 - x2;
        double across3 = x4 - x3 * x3;
        double along3 = 1 - x3;
        double across4 = x5 - x4 * x4;
        double along4 = 1 - x4;
        double value = (100 * across0 * across0 + along0 * along0)
                + (100 * across1 * across1 + along1 * along1)
                + (100 * across2 * across2 + along2 * along2)
                + (100 * across3 * across3 + along3 * along3)
                + (100 * across4 * across4 + along4 * along4);

        // Reverse sweep: each valley sends 200 across to b, and -2a (200 across) - 2 along to a.
        double dAcross0 = 200 * across0;
        double dAcross1 = 200 * across1;
        double dAcross2 = 200 * across2;
        double dAcross3 = 200 * across3;
        double dAcross4 = 200 * across4;
        return new Gradient(value,
                -2 * x0 * dAcross0 - 2 * along0,
                dAcross0 - 2 * x1 * dAcross1 - 2 * along1,
                dAcross1 - 2 * x2 * dAcross2 - 2 * along2,
                dAcross2 - 2 * x3 * dAcross3 - 2 * along3,
                dAcross3 - 2 * x4 * dAcross4 - 2 * along4,
                dAcross4);
    }
}
