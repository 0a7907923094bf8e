package dev.tapeless.examples.scalar;

import dev.tapeless.Differentiable;

/** One {@code @Differentiable} method per supported {@code java.lang.Math} function, for {@code MathFunctionsTest}. */
final class MathFunctions {
    private MathFunctions() {}

    @Differentiable static double sin(double x) { return Math.sin(x); }
    @Differentiable static double cos(double x) { return Math.cos(x); }
    @Differentiable static double tan(double x) { return Math.tan(x); }
    @Differentiable static double asin(double x) { return Math.asin(x); }
    @Differentiable static double acos(double x) { return Math.acos(x); }
    @Differentiable static double atan(double x) { return Math.atan(x); }
    @Differentiable static double atan2(double y, double x) { return Math.atan2(y, x); }
    @Differentiable static double sinh(double x) { return Math.sinh(x); }
    @Differentiable static double cosh(double x) { return Math.cosh(x); }
    @Differentiable static double tanh(double x) { return Math.tanh(x); }
    @Differentiable static double exp(double x) { return Math.exp(x); }
    @Differentiable static double expm1(double x) { return Math.expm1(x); }
    @Differentiable static double log(double x) { return Math.log(x); }
    @Differentiable static double log10(double x) { return Math.log10(x); }
    @Differentiable static double log1p(double x) { return Math.log1p(x); }
    @Differentiable static double sqrt(double x) { return Math.sqrt(x); }
    @Differentiable static double cbrt(double x) { return Math.cbrt(x); }
    @Differentiable static double pow(double x, double p) { return Math.pow(x, p); }
    @Differentiable static double cube(double x) { return Math.pow(x, 3); }
    @Differentiable static double square(double x) { return Math.pow(x, 2); }
    @Differentiable static double hypot(double x, double y) { return Math.hypot(x, y); }
    @Differentiable static double abs(double x) { return Math.abs(x); }
    @Differentiable static double min(double x, double y) { return Math.min(x, y); }
    @Differentiable static double max(double x, double y) { return Math.max(x, y); }
    @Differentiable static double constants(double x) { return Math.PI * x + Math.E; }
    @Differentiable static double strict(double x) { return StrictMath.sin(x) * x; }

    /** Each function composed with the others, so every rule also meets a non-trivial upstream adjoint. */
    @Differentiable
    static double chain(double x, double y) {
        double u = Math.sin(x) * Math.cosh(y) + Math.atan2(y, x);
        double v = Math.log1p(x * x) + Math.expm1(-y) + Math.cbrt(u);
        double w = Math.hypot(u, v) / Math.sqrt(1 + Math.exp(x - y));
        return Math.tanh(w) + Math.pow(Math.abs(v) + 1, y) + Math.log10(2 + Math.cos(u)) - Math.asin(x / 4)
                + Math.acos(y / 5) + Math.atan(u) + Math.sinh(v / 10) + Math.tan(x / 3) + Math.max(u, v) - Math.min(x, y);
    }
}
