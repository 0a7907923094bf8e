package dev.tapeless.spark;

import dev.tapeless.examples.MlpDerivatives;
import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What {@code treeAggregate} adds up: the gradients of the partitions' shares of a minibatch, each
 * weighted by its number of examples (a share's gradient is the mean over it), their losses
 * likewise, and the number of examples. Divided by that number, they are the minibatch's mean,
 * as one machine computes it.
 */
final class Sums implements Serializable {
    private static final long serialVersionUID = 1L;

    final double[] w1;
    final double[] b1;
    final double[] w2;
    final double[] b2;
    double loss;
    long count;

    Sums(long w1, long b1, long w2, long b2) {
        this.w1 = new double[(int) w1];
        this.b1 = new double[(int) b1];
        this.w2 = new double[(int) w2];
        this.b2 = new double[(int) b2];
    }

    /** Adds a share's gradient (a mean over {@code m} examples), weighted by {@code m}. */
    Sums add(MlpDerivatives.LossGradient g, int m) {
        add(w1, g.w1(), m);
        add(b1, g.b1(), m);
        add(w2, g.w2(), m);
        add(b2, g.b2(), m);
        loss += m * g.value().getDouble(0);
        count += m;
        return this;
    }

    Sums merge(Sums other) {
        for (int i = 0; i < w1.length; i++) w1[i] += other.w1[i];
        for (int i = 0; i < b1.length; i++) b1[i] += other.b1[i];
        for (int i = 0; i < w2.length; i++) w2[i] += other.w2[i];
        for (int i = 0; i < b2.length; i++) b2[i] += other.b2[i];
        loss += other.loss;
        count += other.count;
        return this;
    }

    private static void add(double[] sum, INDArray g, int m) {
        double[] values = g.dup('c').data().asDouble();
        for (int i = 0; i < sum.length; i++) sum[i] += m * values[i];
    }
}
