package dev.tapeless.benchmarks;

import dev.tapeless.examples.Rosenbrock;
import dev.tapeless.examples.RosenbrockDerivatives;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The six-variable Rosenbrock sum, its generated gradient and its gradient written by hand. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RosenbrockBenchmark {
    double x0 = -1.2;
    double x1 = 1.0;
    double x2 = 0.8;
    double x3 = -0.5;
    double x4 = 1.5;
    double x5 = 0.3;

    @Setup
    public void checkBothGradientsAgree() {
        var g = RosenbrockDerivatives.rosenbrockGradient(x0, x1, x2, x3, x4, x5);
        var h = HandWrittenRosenbrock.rosenbrockGradient(x0, x1, x2, x3, x4, x5);
        Agreement.require("value", g.value(), h.value());
        Agreement.require("x0", g.x0(), h.x0());
        Agreement.require("x1", g.x1(), h.x1());
        Agreement.require("x2", g.x2(), h.x2());
        Agreement.require("x3", g.x3(), h.x3());
        Agreement.require("x4", g.x4(), h.x4());
        Agreement.require("x5", g.x5(), h.x5());
    }

    @Benchmark
    public double function() {
        return Rosenbrock.rosenbrock(x0, x1, x2, x3, x4, x5);
    }

    @Benchmark
    public RosenbrockDerivatives.RosenbrockGradient generatedGradient() {
        return RosenbrockDerivatives.rosenbrockGradient(x0, x1, x2, x3, x4, x5);
    }

    @Benchmark
    public HandWrittenRosenbrock.Gradient handWrittenGradient() {
        return HandWrittenRosenbrock.rosenbrockGradient(x0, x1, x2, x3, x4, x5);
    }
}
