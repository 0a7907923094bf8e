package dev.tapeless.examples;

import dev.tapeless.Differentiable;
import dev.tapeless.runtime.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A two-layer perceptron classifier: {@code logits = relu(x·w1 + b1)·w2 + b2}, trained by
 * minimizing the mean cross-entropy of {@code softmax(logits)} against one-hot labels. See the
 * generated {@code MlpDerivatives} and {@link Main}, which trains it on handwritten digits.
 */
public final class Mlp {
    private Mlp() {}

    /**
     * Class scores for each example.
     *
     * @param w1 first layer weights {@code [d, h]}
     * @param b1 first layer bias {@code [h]}
     * @param w2 second layer weights {@code [h, k]}
     * @param b2 second layer bias {@code [k]}
     * @param x  examples {@code [n, d]}, data
     * @return {@code [n, k]}
     */
    @Differentiable
    public static Variable logits(Variable w1, Variable b1, Variable w2, Variable b2, INDArray x) {
        Variable hidden = Variable.constant(x).mmul(w1).add(b1).relu();
        return hidden.mmul(w2).add(b2);
    }

    /**
     * Mean cross-entropy over the batch: {@code -mean_n(sum_k labels * logSoftmax(logits))}.
     *
     * @param labels one-hot {@code [n, k]}, data
     */
    @Differentiable
    public static Variable loss(Variable w1, Variable b1, Variable w2, Variable b2, INDArray x, INDArray labels) {
        Variable logProbabilities = logits(w1, b1, w2, b2, x).logSoftmax(1);
        return logProbabilities.mul(Variable.constant(labels)).sum(1).mean().neg();
    }
}
