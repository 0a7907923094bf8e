package dev.tapeless.consumer;

import dev.tapeless.Differentiable;
import dev.tapeless.library.Activations;
import dev.tapeless.library.Losses;
import dev.tapeless.runtime.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A two-layer classifier built from the library's activations and loss. */
public final class Classifier {
    private Classifier() {}

    @Differentiable
    public static Variable loss(Variable w1, Variable w2, INDArray x, INDArray labels) {
        Variable h = Activations.softplus(Variable.constant(x).mmul(w1));
        Variable logits = Activations.swish(h).mmul(w2);
        return Losses.crossEntropy(logits, labels);
    }
}
