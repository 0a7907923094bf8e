package dev.tapeless.library;

import dev.tapeless.Differentiable;

/** A small function Tapeless reads: callers in other builds call its companion. */
public final class Smooth {
    private Smooth() {}

    @Differentiable
    public static double bump(double x, double y) {
        return Math.exp(-x * x) * Math.sin(y) + x * y;
    }
}
