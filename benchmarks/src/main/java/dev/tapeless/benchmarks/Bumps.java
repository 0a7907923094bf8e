package dev.tapeless.benchmarks;

import dev.tapeless.Differentiable;
import dev.tapeless.library.Smooth;

/**
 * One function called three times, inlined (its source is here) and through a library's companion
 * (the same code, compiled earlier into {@code tapeless-examples-library}).
 */
public final class Bumps {
    private Bumps() {}

    @Differentiable
    public static double bump(double x, double y) {
        return Math.exp(-x * x) * Math.sin(y) + x * y;
    }

    @Differentiable
    public static double inlined(double x, double y) {
        return bump(x, y) * bump(y, x) + bump(x + 1, y);
    }

    @Differentiable
    public static double called(double x, double y) {
        return Smooth.bump(x, y) * Smooth.bump(y, x) + Smooth.bump(x + 1, y);
    }
}
