package dev.tapeless.library;

import dev.tapeless.Derivative;
import dev.tapeless.Differentiable;
import dev.tapeless.runtime.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Activations: one Tapeless reads, one with a custom derivative, one with a surrogate gradient. */
public final class Activations {
    private Activations() {}

    /** x σ(x). Tapeless reads it; callers in other builds call its companion. */
    @Differentiable
    public static Variable swish(Variable x) {
        return x.mul(x.sigmoid());
    }

    /**
     * log(1 + eˣ), written as max(x, 0) + log(1 + e^-|x|) with ND4J ops, which neither overflows
     * (at x = 800) nor loses the value to rounding (at x = -800). Its derivative is σ(x).
     */
    @Differentiable
    public static Variable softplus(Variable x) {
        INDArray v = x.value();
        INDArray tail = Transforms.log(Transforms.exp(Transforms.abs(v, true).negi(), false).addi(1.0), false);
        return Variable.custom(Transforms.max(v, 0.0, true).addi(tail), x);
    }

    @Derivative(of = "softplus")
    public static INDArray softplusDerivative(INDArray x, INDArray upstream) {
        return Transforms.sigmoid(x, true).muli(upstream);
    }

    /**
     * round(x), with the gradient of the identity: the straight-through estimator of
     * quantization-aware training. Its true derivative is 0 almost everywhere.
     */
    @Differentiable
    public static Variable roundThrough(Variable x) {
        return Variable.custom(Transforms.round(x.value(), true), x);
    }

    @Derivative(of = "roundThrough")
    public static INDArray roundThroughDerivative(INDArray x, INDArray upstream) {
        return upstream;
    }
}
