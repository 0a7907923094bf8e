package dev.tapeless.examples.fused;

import dev.tapeless.Differentiable;
import dev.tapeless.runtime.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adversarial methods for the reusing overload {@code fGradient(args..., previous)}
 * ({@code ReuseAdversarialTest}): each takes the fused loops for arguments of one shape, the
 * matrix loops when they broadcast (rank 2 at most), and the ND4J path otherwise (rank 3, FLOAT),
 * so that one previous result can be passed from one path to another.
 */
public final class ReuseAdversarial {
    private ReuseAdversarial() {}

    /** Elementwise, every value read twice: fused for one shape, matrix loops for {@code [n, k]} and {@code [k]}. */
    @Differentiable
    public static Variable mixed(Variable x, Variable y) {
        Variable p = x.mul(y);
        return p.add(x.exp()).sin().mul(p).sum();
    }

    /**
     * Gradients that are another argument ({@code d x = y}, {@code d y = x}) and zeros (for {@code z}):
     * written into previous arrays filled with NaN, every element must be overwritten.
     */
    @Differentiable
    public static Variable argumentsAndZeros(Variable x, Variable y, Variable z) {
        return x.mul(y).sum();
    }

    /** Two parameters with one and the same gradient node (ones), and a mean as the value. */
    @Differentiable
    public static Variable twins(Variable x, Variable y) {
        return x.add(y).mean();
    }

    /** A layer with a per-row weight: {@code perRow [n, 1]} changes with the batch, {@code w} and {@code b} do not. */
    @Differentiable
    public static Variable layer(Variable w, Variable b, Variable perRow, INDArray x) {
        return Variable.constant(x).mmul(w).add(b).tanh().mul(perRow).sum();
    }

    /** A softmax cross-entropy over rows, with the labels as data: a row kernel between two loops. */
    @Differentiable
    public static Variable crossEntropy(Variable logits, Variable scale, INDArray labels) {
        return logits.mul(scale).logSoftmax(1).mul(Variable.constant(labels)).sum().neg();
    }

    /** The argument itself as the value (a scalar argument): the result must be a copy, not the argument. */
    @Differentiable
    public static Variable itself(Variable x) {
        return x;
    }
}
