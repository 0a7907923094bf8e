package dev.tapeless.examples.arrays;

import dev.tapeless.Differentiable;

/**
 * Logistic regression over plain Java arrays: {@code p_i = sigmoid(w·x_i + bias)}, trained by
 * gradient descent on the mean binary cross-entropy, with the gradient Tapeless generates at
 * compile time ({@code LogisticClassifierDerivatives.lossGradient}). The weights are a
 * {@code double[]}, differentiated; the examples ({@code double[][]}) and labels
 * ({@code boolean[]}) are data.
 */
public final class LogisticClassifier {
    private LogisticClassifier() {}

    /** A trained model: the weights, the bias, and the loss after each step of training. */
    public record Model(double[] weights, double bias, double[] losses) {

        /** The predicted class of {@code x}: whether {@code w·x + bias > 0}. */
        public boolean predict(double[] x) {
            return logit(weights, bias, x) > 0;
        }

        /** The fraction of {@code xs} whose prediction is its label. */
        public double accuracy(double[][] xs, boolean[] labels) {
            int right = 0;
            for (int i = 0; i < xs.length; i++) {
                if (predict(xs[i]) == labels[i]) right++;
            }
            return (double) right / xs.length;
        }
    }

    /** {@code w·x + bias}, the log-odds of class {@code true}. */
    @Differentiable
    public static double logit(double[] w, double bias, double[] x) {
        double dot = 0;
        for (int j = 0; j < w.length; j++) {
            dot += w[j] * x[j];
        }
        return dot + bias;
    }

    /**
     * The mean over the examples of the binary cross-entropy
     * {@code -(y log p + (1 - y) log(1 - p))}, with {@code p = sigmoid(z)}, written in terms of the
     * logit {@code z} so that it neither overflows nor takes the log of 0:
     * {@code log(1 + exp(z)) - y z}.
     *
     * @param w     weights, one per feature
     * @param bias  the bias
     * @param xs    the examples, one row of features each, data
     * @param labels the class of each example, data
     */
    @Differentiable
    public static double loss(double[] w, double bias, double[][] xs, boolean[] labels) {
        double total = 0;
        for (int i = 0; i < xs.length; i++) {
            double dot = 0;
            for (int j = 0; j < w.length; j++) {
                dot += w[j] * xs[i][j];
            }
            double z = dot + bias;
            // log(1 + exp(z)), with exp of a negative number only; both branches are right at 0
            // (a form with Math.abs(z) would not be: its derivative at 0 is taken to be 0).
            double softplus;
            if (z > 0) {
                softplus = z + Math.log1p(Math.exp(-z));
            } else {
                softplus = Math.log1p(Math.exp(z));
            }
            if (labels[i]) {
                softplus -= z;
            }
            total += softplus;
        }
        return total / xs.length;
    }

    /**
     * Full-batch gradient descent from zero weights: {@code steps} steps of size {@code rate}
     * along the generated gradient of {@link #loss}.
     */
    public static Model train(double[][] xs, boolean[] labels, int steps, double rate) {
        int features = xs.length == 0 ? 0 : xs[0].length;
        double[] w = new double[features];
        double bias = 0;
        double[] losses = new double[steps];
        for (int step = 0; step < steps; step++) {
            LogisticClassifierDerivatives.LossGradient g = LogisticClassifierDerivatives.lossGradient(w, bias, xs, labels);
            losses[step] = g.value();
            for (int j = 0; j < features; j++) {
                w[j] -= rate * g.w()[j];
            }
            bias -= rate * g.bias();
        }
        return new Model(w, bias, losses);
    }
}
