package dev.tapeless.examples.arrays;

import static dev.tapeless.examples.arrays.ArrayCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.examples.Digits;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LogisticClassifier}: the generated gradient of the loss (double[] weights, double bias,
 * double[][] data, boolean[] labels) checked at points, against the closed form, and by training.
 */
class LogisticClassifierTest {
    /** The checks of the method (a new one each time: its settings are its own). */
    private static ArrayCheck loss() {
        return ArrayCheck.of(LogisticClassifier.class, "loss", "w", "bias", "xs", "labels");
    }

    /** {@code n} examples of {@code d} features, each uniform in [-1, 1], labelled by a random hyperplane. */
    private record Data(double[][] xs, boolean[] labels) {}

    /**
     * A linearly separable set: labels by the sign of {@code truth·x + 0.2}, keeping only the points
     * at least {@code margin} from the hyperplane.
     */
    private static Data separable(Random rng, int n, int d, double margin) {
        double[] truth = new double[d];
        for (int j = 0; j < d; j++) truth[j] = rng.nextGaussian();
        double[][] xs = new double[n][];
        boolean[] labels = new boolean[n];
        for (int i = 0; i < n; ) {
            double[] x = new double[d];
            for (int j = 0; j < d; j++) x[j] = 2 * rng.nextDouble() - 1;
            double z = LogisticClassifier.logit(truth, 0.2, x);
            if (Math.abs(z) < margin) continue;
            xs[i] = x;
            labels[i++] = z > 0;
        }
        return new Data(xs, labels);
    }

    private static double[] weights(Random rng, int d, double scale) {
        double[] w = new double[d];
        for (int j = 0; j < d; j++) w[j] = scale * rng.nextGaussian();
        return w;
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random rng = new Random(11);
        Data data = separable(rng, 6, 3, 0.1);
        loss().at(weights(rng, 3, 1), 0.3, data.xs(), data.labels());
        loss().at(new double[3], 0.0, data.xs(), data.labels());
        Data one = separable(rng, 1, 1, 0.1);
        loss().at(new double[] {-0.7}, 0.4, one.xs(), one.labels());
        // No features: the loss depends on the bias alone.
        loss().at(new double[0], -0.6, new double[][] {{}, {}, {}}, new boolean[] {true, false, true});
    }

    @Test
    void largeAndTinyWeights() {
        Random rng = new Random(12);
        Data data = separable(rng, 5, 2, 0.3);
        // |z| in the hundreds: exp(-|z|) underflows to 0, log(1 + exp(z)) would overflow; this form does neither.
        double[] big = {400, -300};
        // exp(-|z|) varies on the scale of 1 in z: finite differences step by 1e-3, not by 1e-3 |w|.
        Map<String, Object> g = loss().absoluteStep(1e-3).at(big, 0.5, data.xs(), data.labels());
        assertTrue(Double.isFinite(LogisticClassifierDerivatives.loss(big, 0.5, data.xs(), data.labels())));
        closedForm(big, 0.5, data, g);
        loss().at(new double[] {3e-200, -1e-200}, 1e-200, data.xs(), data.labels());
    }

    /** The gradient of the mean cross-entropy: {@code mean((sigmoid(z_i) - y_i) x_i)}, and the mean of {@code sigmoid(z_i) - y_i}. */
    private static void closedForm(double[] w, double bias, Data data, Map<String, Object> g) {
        int n = data.xs().length;
        double[] dw = new double[w.length];
        double dBias = 0;
        for (int i = 0; i < n; i++) {
            double z = LogisticClassifier.logit(w, bias, data.xs()[i]);
            double residual = 1 / (1 + Math.exp(-z)) - (data.labels()[i] ? 1 : 0);
            for (int j = 0; j < w.length; j++) dw[j] += residual * data.xs()[i][j] / n;
            dBias += residual / n;
        }
        double[] generated = (double[]) g.get("w");
        for (int j = 0; j < w.length; j++) assertClose(dw[j], generated[j], 1e-12, 1e-3, "dw[" + j + "]");
        assertClose(dBias, (double) g.get("bias"), 1e-12, 1e-3, "dbias");
    }

    @Test
    void gradientIsTheClosedForm() {
        Random rng = new Random(13);
        Data data = separable(rng, 40, 4, 0.05);
        for (int k = 0; k < 3; k++) {
            double[] w = weights(rng, 4, 2);
            closedForm(w, 0.1 * k, data, loss().at(w, 0.1 * k, data.xs(), data.labels()));
        }
    }

    @Test
    void trainingSeparatesASeparableSet() {
        Random rng = new Random(14);
        Data data = separable(rng, 200, 3, 0.15);
        LogisticClassifier.Model model = LogisticClassifier.train(data.xs(), data.labels(), 400, 1.0);
        double[] losses = model.losses();
        assertEquals(Math.log(2), losses[0], 1e-13, "zero weights predict 1/2 everywhere");
        for (int s = 1; s < losses.length; s++) {
            assertTrue(losses[s] < losses[s - 1], "gradient descent with a small enough step decreases the loss: step " + s);
        }
        assertTrue(losses[losses.length - 1] < 0.15, "final loss " + losses[losses.length - 1]);
        assertEquals(1.0, model.accuracy(data.xs(), data.labels()), "every training example right");
        Data fresh = separable(new Random(14), 200, 3, 0.15); // the same hyperplane, the same points
        assertEquals(1.0, model.accuracy(fresh.xs(), fresh.labels()));
    }

    @Test
    void trainingTellsHandwrittenDigitsApart() {
        // The UCI digits (8x8 pixels in [0, 1]): threes against eights, held out a third.
        Digits digits = Digits.load();
        double[][] images = digits.images().toDoubleMatrix();
        java.util.List<double[]> xs = new java.util.ArrayList<>();
        java.util.List<Boolean> labels = new java.util.ArrayList<>();
        for (int i = 0; i < images.length; i++) {
            int label = digits.labels()[i];
            if (label == 3 || label == 8) {
                xs.add(images[i]);
                labels.add(label == 8);
            }
        }
        int n = xs.size();
        int held = n / 3;
        double[][] trainX = xs.subList(held, n).toArray(new double[0][]);
        double[][] testX = xs.subList(0, held).toArray(new double[0][]);
        boolean[] trainY = new boolean[n - held];
        boolean[] testY = new boolean[held];
        for (int i = 0; i < n; i++) {
            if (i < held) testY[i] = labels.get(i);
            else trainY[i - held] = labels.get(i);
        }
        LogisticClassifier.Model model = LogisticClassifier.train(trainX, trainY, 300, 0.5);
        double[] losses = model.losses();
        System.out.printf("digits 3 vs 8: %d training, %d held out; loss %.4f -> %.4f; accuracy %.3f training, %.3f held out%n",
                n - held, held, losses[0], losses[losses.length - 1],
                model.accuracy(trainX, trainY), model.accuracy(testX, testY));
        assertTrue(losses[losses.length - 1] < 0.1 * losses[0], "the loss falls tenfold");
        assertTrue(model.accuracy(testX, testY) >= 0.95, "held-out accuracy " + model.accuracy(testX, testY));
    }
}
