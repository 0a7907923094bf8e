package dev.tapeless.examples;

import dev.tapeless.Differentiable;
import dev.tapeless.runtime.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Normalization of each row, as in layer normalization: subtract the row's mean, divide by its
 * standard deviation, then scale and shift by learned {@code gain} and {@code bias}.
 */
public final class Normalization {
    private Normalization() {}

    /** Keeps the division away from zero for a constant row. */
    public static final double EPS = 1e-5;

    /**
     * {@code gain * (x - mean) / sqrt(mean((x - mean)^2) + EPS) + bias}, means over the last dim.
     *
     * @param x    {@code [n, d]}
     * @param gain {@code [d]}
     * @param bias {@code [d]}
     * @return {@code [n, d]}
     */
    @Differentiable
    public static Variable normalize(Variable x, Variable gain, Variable bias) {
        Variable centred = x.sub(x.mean(true, -1));
        Variable deviation = centred.pow(2.0).mean(true, -1).add(EPS).sqrt();
        return centred.div(deviation).mul(gain).add(bias);
    }

    /** A loss through the normalization: its output weighted by data {@code w} {@code [n, d]}, summed. */
    @Differentiable
    public static Variable weighted(Variable x, Variable gain, Variable bias, INDArray w) {
        return normalize(x, gain, bias).mul(Variable.constant(w)).sum();
    }
}
