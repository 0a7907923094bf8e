package dev.tapeless.examples.semantics;

import dev.tapeless.Differentiable;

/** Methods named like {@code Math}'s, imported statically by {@link SingleImportShadows} and {@link OnDemandOverloads}. */
final class Imported {
    private Imported() {}

    /** Not Math.max: a product. */
    @Differentiable
    static double max(double a, double b) {
        return a * b;
    }

    /** Not Math.sin. */
    @Differentiable
    static double sin(double a) {
        return 2 * a;
    }
}
