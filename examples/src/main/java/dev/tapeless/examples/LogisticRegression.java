package dev.tapeless.examples;

import dev.tapeless.Differentiable;
import dev.tapeless.runtime.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Logistic regression: {@code p = sigmoid(x·w + b)}, trained by minimizing the mean binary
 * cross-entropy against 0/1 labels. See the generated {@code LogisticRegressionDerivatives}.
 */
public final class LogisticRegression {
    private LogisticRegression() {}

    /**
     * The probability of class 1 for each example.
     *
     * @param w weights {@code [d]}
     * @param b bias, rank 0
     * @param x examples {@code [n, d]}, data
     * @return {@code [n]}
     */
    @Differentiable
    public static Variable probability(Variable w, Variable b, INDArray x) {
        return Variable.constant(x).mmul(w).add(b).sigmoid();
    }

    /**
     * Mean binary cross-entropy {@code -mean(y log p + (1 - y) log(1 - p))} over the batch.
     *
     * @param y labels {@code [n]}, each 0 or 1, data
     */
    @Differentiable
    public static Variable loss(Variable w, Variable b, INDArray x, INDArray y) {
        Variable p = probability(w, b, x);
        Variable labels = Variable.constant(y);
        Variable logLikelihood = labels.mul(p.log()).add(labels.rsub(1.0).mul(p.rsub(1.0).log()));
        return logLikelihood.mean().neg();
    }
}
