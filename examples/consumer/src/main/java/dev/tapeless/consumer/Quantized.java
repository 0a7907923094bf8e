package dev.tapeless.consumer;

import dev.tapeless.Differentiable;
import dev.tapeless.library.Activations;
import dev.tapeless.runtime.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Least squares with weights rounded to quarters in the forward pass, trained through the
 * library's straight-through rounding: the gradient is the one of the unrounded weights'.
 */
public final class Quantized {
    private Quantized() {}

    @Differentiable
    public static Variable loss(Variable w, INDArray x, INDArray y) {
        Variable q = Activations.roundThrough(w.mul(4.0)).div(4.0);
        Variable r = Variable.constant(x).mmul(q).sub(Variable.constant(y));
        return r.mul(r).mean();
    }
}
