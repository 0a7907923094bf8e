package dev.tapeless.benchmarks;

import dev.tapeless.examples.loops.SumOfSquares;
import dev.tapeless.examples.loops.SumOfSquaresDerivatives;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The sum of the squares of 10⁶ doubles, its generated gradient and its gradient written by hand. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SumOfSquaresBenchmark {
    static final int N = 1_000_000;

    double[] x;

    @Setup
    public void checkBothGradientsAgree() {
        Random r = new Random(42);
        x = new double[N];
        for (int i = 0; i < N; i++) x[i] = -1 + 2 * r.nextDouble();
        var g = SumOfSquaresDerivatives.sumOfSquaresGradient(x);
        var h = HandWrittenSumOfSquares.sumOfSquaresGradient(x);
        Agreement.require("value", g.value(), h.value());
        Agreement.require("value vs source", g.value(), SumOfSquares.sumOfSquares(x));
        Agreement.require("x", g.x(), h.x());
    }

    @Benchmark
    public double function() {
        return SumOfSquares.sumOfSquares(x);
    }

    @Benchmark
    public SumOfSquaresDerivatives.SumOfSquaresGradient generatedGradient() {
        return SumOfSquaresDerivatives.sumOfSquaresGradient(x);
    }

    @Benchmark
    public HandWrittenSumOfSquares.Gradient handWrittenGradient() {
        return HandWrittenSumOfSquares.sumOfSquaresGradient(x);
    }
}
