package dev.tapeless.benchmarks;

/**
 * The gradient of {@code SumOfSquares.sumOfSquares} written by hand: one pass that adds the squares
 * in index order (the value, as the source computes it) and writes {@code 2 x[i]} beside it.
 * Nothing is saved: the adjoint of {@code v * v} needs only {@code v}.
 */
final class HandWrittenSumOfSquares {
    private HandWrittenSumOfSquares() {}

    record Gradient(double value, double[] x) {}

    static Gradient sumOfSquaresGradient(double[] x) {
        double[] dx = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            sum += v * v;
            dx[i] = v + v;
        }
        return new Gradient(sum, dx);
    }
}
