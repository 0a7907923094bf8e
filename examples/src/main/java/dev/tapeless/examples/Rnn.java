package dev.tapeless.examples;

import dev.tapeless.Differentiable;
import dev.tapeless.runtime.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A recurrent classifier (an Elman network): it reads a sequence one step at a time, carrying a
 * hidden state {@code h_t = tanh(x_t·w + h_{t-1}·u + b)} through a {@code for} loop, and classifies
 * the last state with {@code logits = h·v + c}. Trained by minimizing the mean cross-entropy of
 * {@code softmax(logits)} against one-hot labels. See the generated {@code RnnDerivatives} and
 * {@link RnnDemo}, which trains it on handwritten digits read row by row.
 *
 * <p>The sequence comes in time-major, {@code xs} of shape {@code [steps, n, d]}, so that
 * {@code xs.slice(t)} is the t-th step of the whole batch, {@code [n, d]}.
 */
public final class Rnn {
    private Rnn() {}

    /**
     * The hidden state after the last step; the state before the first step is zero, so the first
     * step reads only its input.
     *
     * @param w     input weights {@code [d, h]}
     * @param u     recurrent weights {@code [h, h]}
     * @param b     bias {@code [h]}
     * @param xs    the sequences, time-major {@code [steps, n, d]}, data
     * @param steps how many steps to read ({@code 1 <= steps <= xs.shape()[0]})
     * @return {@code [n, h]}
     */
    @Differentiable
    public static Variable lastState(Variable w, Variable u, Variable b, INDArray xs, int steps) {
        Variable x = Variable.constant(xs);
        Variable h = x.slice(0).mmul(w).add(b).tanh();
        for (int t = 1; t < steps; t++) {
            h = x.slice(t).mmul(w).add(h.mmul(u)).add(b).tanh();
        }
        return h;
    }

    /**
     * Class scores for each sequence, from its last hidden state.
     *
     * @param v output weights {@code [h, k]}
     * @param c output bias {@code [k]}
     * @return {@code [n, k]}
     */
    @Differentiable
    public static Variable logits(Variable w, Variable u, Variable b, Variable v, Variable c, INDArray xs, int steps) {
        return lastState(w, u, b, xs, steps).mmul(v).add(c);
    }

    /**
     * Mean cross-entropy over the batch: {@code -mean_n(sum_k labels * logSoftmax(logits))}.
     *
     * @param labels one-hot {@code [n, k]}, data
     */
    @Differentiable
    public static Variable loss(Variable w, Variable u, Variable b, Variable v, Variable c, INDArray xs, int steps,
            INDArray labels) {
        Variable logProbabilities = logits(w, u, b, v, c, xs, steps).logSoftmax(1);
        return logProbabilities.mul(Variable.constant(labels)).sum(1).mean().neg();
    }
}
