package dev.tapeless.examples.semantics;

import static dev.tapeless.examples.semantics.Imported.*;
import static dev.tapeless.examples.semantics.ImportedMax.max;
import static java.lang.Math.sin;

import dev.tapeless.Differentiable;

/**
 * A single-static import shadows an on-demand one (JLS 6.4.1): {@code max} is ImportedMax's,
 * whatever {@code Math} or {@code Imported} declare, and {@code sin} is {@code Math.sin}, not
 * {@code Imported.sin}.
 */
final class SingleImportShadows {
    private SingleImportShadows() {}

    @Differentiable
    static double f(double x, double y) {
        return max(x, y) + sin(x);
    }
}

/** A max imported by name. */
final class ImportedMax {
    private ImportedMax() {}

    @Differentiable
    static double max(double a, double b) {
        return a * b + 1;
    }
}
