package dev.tapeless.examples.fused;

import dev.tapeless.Differentiable;
import dev.tapeless.runtime.Variable;

/**
 * Tensor methods that are all elementwise arithmetic and full reductions: their forward pass and
 * gradient have fused loops ({@code FusedLoopsTest}).
 */
final class Elementwise {
    private Elementwise() {}

    /** The seed: one loop. */
    @Differentiable
    static Variable seed(Variable a, Variable b) {
        return a.add(b).mul(b).sum();
    }

    /** Softplus of a product, averaged: transcendental functions, a mean. */
    @Differentiable
    static Variable softplusMean(Variable x, Variable w) {
        return x.mul(w).exp().add(1).log().mean();
    }

    /** Logistic loss with labels as data: sigmoid, log, a constant and a subtraction from it. */
    @Differentiable
    static Variable logistic(Variable z, Variable y) {
        Variable p = z.sigmoid();
        return y.mul(p.log()).add(y.rsub(1).mul(p.rsub(1).log())).neg().mean();
    }

    /** A variance: the mean first, then a second loop that reads it. */
    @Differentiable
    static Variable variance(Variable x) {
        Variable d = x.sub(x.mean());
        return d.mul(d).mean();
    }

    /** A double parameter, differentiated too: its adjoint is a sum. */
    @Differentiable
    static Variable scaledTanh(Variable x, double k) {
        return x.mul(k).tanh().pow(2).sum();
    }

    /** A result with the parameters' shape: the forward pass is fused, the gradient refuses it. */
    @Differentiable
    static Variable product(Variable x, Variable y) {
        return x.mul(y).abs().sqrt();
    }

    /** A normalisation by a sum of squares: three loops (the sum, then the value and gradient). */
    @Differentiable
    static Variable normalizedDot(Variable x, Variable y) {
        Variable n = x.mul(x).sum().sqrt();
        return x.div(n).mul(y).sum();
    }

    /** Relu and abs: kinks, taken away from zero by the inputs. */
    @Differentiable
    static Variable kinks(Variable x, Variable y) {
        return x.relu().add(y.abs()).mul(x).sum();
    }

    /** A matrix product: no fused loops (the ND4J path, and a reused result is copied into). */
    @Differentiable
    static Variable linear(Variable x, Variable w) {
        return x.mmul(w).tanh().sum();
    }
}
