package dev.tapeless.library;

import dev.tapeless.Differentiable;
import dev.tapeless.runtime.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Losses over a batch (rows). */
public final class Losses {
    private Losses() {}

    /** Mean cross-entropy of row-wise softmax({@code logits}) against one-hot {@code labels}. */
    @Differentiable
    public static Variable crossEntropy(Variable logits, INDArray labels) {
        Variable y = Variable.constant(labels);
        return logits.logSoftmax(1).mul(y).sum(1).mean().neg();
    }
}
