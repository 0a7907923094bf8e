package dev.tapeless.benchmarks;

import dev.tapeless.examples.loops.Horner;
import dev.tapeless.examples.loops.HornerDerivatives;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A polynomial of 1,000 coefficients by Horner's rule, its generated gradient and its adjoint written by hand. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HornerBenchmark {
    static final int N = 1_000;

    double[] a;
    double x = 0.995; // below 1, so that x^999 (about 0.007) stays a normal number

    @Setup
    public void checkBothGradientsAgree() {
        Random r = new Random(42);
        a = new double[N];
        for (int i = 0; i < N; i++) a[i] = -1 + 2 * r.nextDouble();
        var g = HornerDerivatives.hornerGradient(a, x);
        var h = HandWrittenHorner.hornerGradient(a, x);
        Agreement.require("value", g.value(), h.value());
        Agreement.require("value vs source", g.value(), Horner.horner(a, x));
        Agreement.require("a", g.a(), h.a());
        Agreement.require("x", g.x(), h.x());
    }

    @Benchmark
    public double function() {
        return Horner.horner(a, x);
    }

    @Benchmark
    public HornerDerivatives.HornerGradient generatedGradient() {
        return HornerDerivatives.hornerGradient(a, x);
    }

    @Benchmark
    public HandWrittenHorner.Gradient handWrittenGradient() {
        return HandWrittenHorner.hornerGradient(a, x);
    }
}
