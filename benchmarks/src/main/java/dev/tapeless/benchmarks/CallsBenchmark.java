package dev.tapeless.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What calling a library's companion costs against inlining the same code: {@link Bumps#inlined}
 * and {@link Bumps#called} compute the same thing, one with the callee inlined, one through
 * {@code SmoothDerivatives} (its Vjp, value and pullback).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CallsBenchmark {
    double x = 0.3;
    double y = -1.1;

    @Setup
    public void checkBothAgree() {
        var a = BumpsDerivatives.inlinedGradient(x, y);
        var b = BumpsDerivatives.calledGradient(x, y);
        Agreement.require("value", a.value(), b.value());
        Agreement.require("x", a.x(), b.x());
        Agreement.require("y", a.y(), b.y());
    }

    @Benchmark
    public double inlinedValue() {
        return BumpsDerivatives.inlined(x, y);
    }

    @Benchmark
    public double calledValue() {
        return BumpsDerivatives.called(x, y);
    }

    @Benchmark
    public BumpsDerivatives.InlinedGradient inlinedGradient() {
        return BumpsDerivatives.inlinedGradient(x, y);
    }

    @Benchmark
    public BumpsDerivatives.CalledGradient calledGradient() {
        return BumpsDerivatives.calledGradient(x, y);
    }
}
