package dev.tapeless.examples.semantics;

import static dev.tapeless.examples.semantics.OverloadsOfMax.*;
import static java.lang.Math.*;

import dev.tapeless.Differentiable;

/**
 * Methods of one name from two on-demand imports are overloads of one another (JLS 15.12.1):
 * {@code max(x, n)} with an int {@code n} calls the most specific, OverloadsOfMax's
 * {@code max(double, int)}; {@code max(x, y)} calls {@code Math.max(double, double)}.
 */
final class OnDemandOverloads {
    private OnDemandOverloads() {}

    @Differentiable
    static double f(double x, double y, int n) {
        return max(x, n) + max(x, y) + sin(x);
    }
}

/** A max(double, int) to be found among Math's. */
final class OverloadsOfMax {
    private OverloadsOfMax() {}

    @Differentiable
    static double max(double a, int b) {
        return a * b;
    }
}
