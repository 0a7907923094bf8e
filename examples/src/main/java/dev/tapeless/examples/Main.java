package dev.tapeless.examples;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.GradientCheck;
import dev.tapeless.runtime.check.OpCounter;
import dev.tapeless.runtime.support.Dense;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The main example: trains the two-layer perceptron {@link Mlp} on the UCI handwritten digits
 * with the gradients Tapeless generated at compile time ({@code MlpDerivatives.lossGradient}),
 * by plain minibatch stochastic gradient descent. Checks one gradient against the tape and finite
 * differences first, then prints one line per epoch and the held-out accuracy at the end.
 * Everything random comes from one seed, so every run prints the same numbers (times aside).
 */
public final class Main {
    private Main() {}

    public static final long SEED = 2024;
    public static final int HIDDEN = 32;
    public static final int EPOCHS = 20;
    public static final int BATCH = 32;
    public static final double LEARNING_RATE = 0.2;
    public static final double HELD_OUT = 0.2;
    /** Finite differences on this many elements of each parameter array; the tape checks all of them. */
    static final int FD_COORDINATES = 40;

    /** The weights and biases of {@link Mlp}, updated in place. */
    public record Model(INDArray w1, INDArray b1, INDArray w2, INDArray b2) {
        /** He initialization for the relu layer, Glorot-like for the output; zero biases. */
        public static Model initial(Random rng) {
            return new Model(gaussian(rng, Math.sqrt(2.0 / Digits.PIXELS), Digits.PIXELS, HIDDEN),
                    Nd4j.zeros(DataType.DOUBLE, HIDDEN),
                    gaussian(rng, Math.sqrt(1.0 / HIDDEN), HIDDEN, Digits.CLASSES),
                    Nd4j.zeros(DataType.DOUBLE, Digits.CLASSES));
        }

        public MlpDerivatives.LossGradient gradient(INDArray x, INDArray labels) {
            return MlpDerivatives.lossGradient(w1, b1, w2, b2, x, labels);
        }

        /**
         * The gradient written into the arrays of {@code previous}, the last step's (null at first):
         * a training step then allocates no array. The arrays are the caller's until the next call.
         */
        public MlpDerivatives.LossGradient gradient(INDArray x, INDArray labels, MlpDerivatives.LossGradient previous) {
            return MlpDerivatives.lossGradient(w1, b1, w2, b2, x, labels, previous);
        }

        public void step(MlpDerivatives.LossGradient g, double rate) {
            axpy(-rate, g.w1(), w1);
            axpy(-rate, g.b1(), b1);
            axpy(-rate, g.w2(), w2);
            axpy(-rate, g.b2(), b2);
        }

        /** {@code w += a * g}, one BLAS op, on the arrays as vectors (views: both are row-major and contiguous). */
        private static void axpy(double a, INDArray g, INDArray w) {
            Nd4j.getBlasWrapper().axpy(a, g.reshape(g.length()), w.reshape(w.length()));
        }

        /** The fraction of {@code data} whose largest logit is the right digit. */
        public double accuracy(Digits data) {
            INDArray predicted = MlpDerivatives.logits(w1, b1, w2, b2, data.images()).argMax(1);
            int right = 0;
            for (int i = 0; i < data.size(); i++) if (predicted.getInt(i) == data.labels()[i]) right++;
            return (double) right / data.size();
        }

        public List<INDArray> parameters() {
            return List.of(w1, b1, w2, b2);
        }
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        if (System.getenv("OMP_NUM_THREADS") == null) {
            // These arrays are small: splitting an op over threads costs more than it saves, and on a
            // busy machine ND4J's spinning worker threads slow everything down several times.
            Nd4j.getEnvironment().setMaxThreads(1);
        }
        Random rng = new Random(SEED);
        Digits.Split split = Digits.load().split(HELD_OUT, rng);
        Digits train = split.training();
        Model model = Model.initial(rng);

        System.out.printf("Tapeless: a two-layer perceptron (%d-%d-%d, relu, log-softmax cross-entropy) on UCI digits,%n",
                Digits.PIXELS, HIDDEN, Digits.CLASSES);
        System.out.printf("trained by minibatch SGD with the gradient generated at compile time (MlpDerivatives.lossGradient)%n");
        System.out.printf("  data: %d training and %d held-out images of 8x8 pixels, scaled to [0, 1]%n",
                train.size(), split.heldOut().size());

        checkOneGradient(model, train.select(range(16)));
        countOps(model, train.select(range(BATCH)));

        Digits heldOut = split.heldOut();
        List<Epoch> history = new java.util.ArrayList<>();
        double accuracy = train(model, train, heldOut, EPOCHS, rng, System.out, history).accuracy(heldOut);
        System.out.printf("held-out accuracy: %.1f%% (%d of %d images)   total time %.1f s%n", 100 * accuracy,
                Math.round(accuracy * heldOut.size()), heldOut.size(), (System.nanoTime() - start) / 1e9);
        java.nio.file.Path curve = TrainingCurve.write(history, java.nio.file.Path.of("target", "training-curve.png"));
        System.out.printf("training curve (loss and held-out accuracy per epoch): %s%n", curve.toAbsolutePath().normalize());
    }

    /**
     * Minibatch SGD on {@code train}, reshuffled by {@code rng} every epoch; one line per epoch to
     * {@code out}: mean minibatch loss, accuracy on the whole training set, time.
     */
    /** One epoch of training: its mean minibatch loss and the held-out accuracy after it. */
    public record Epoch(int epoch, double loss, double heldOutAccuracy) {}

    public static Model train(Model model, Digits train, int epochs, Random rng, PrintStream out) {
        return train(model, train, null, epochs, rng, out, null);
    }

    /**
     * As {@link #train(Model, Digits, int, Random, PrintStream)}, also recording each epoch into
     * {@code history} (when not null), with the accuracy on {@code heldOut} after it.
     */
    public static Model train(Model model, Digits train, Digits heldOut, int epochs, Random rng, PrintStream out,
            List<Epoch> history) {
        INDArray trainLabels = train.oneHot();
        MlpDerivatives.LossGradient g = null;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long t0 = System.nanoTime();
            int[] order = Digits.permutation(train.size(), rng);
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < order.length; from += BATCH) {
                int[] batch = Arrays.copyOfRange(order, from, Math.min(from + BATCH, order.length));
                INDArray x = Nd4j.pullRows(train.images(), 1, batch);
                INDArray labels = Nd4j.pullRows(trainLabels, 1, batch);
                g = model.gradient(x, labels, g);
                lossSum += g.value().getDouble(0);
                batches++;
                model.step(g, LEARNING_RATE);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf("  epoch %2d  loss %.4f  train accuracy %5.1f%%  %.2f s%n",
                    epoch, lossSum / batches, 100 * model.accuracy(train), seconds);
            if (history != null) history.add(new Epoch(epoch, lossSum / batches, model.accuracy(heldOut)));
        }
        return model;
    }

    /** The generated gradient against the tape and central finite differences, at the starting point. */
    private static void checkOneGradient(Model model, Digits sample) {
        long t0 = System.nanoTime();
        INDArray x = sample.images();
        INDArray labels = sample.oneHot();
        GradientCheck.Report report = GradientCheck.of(
                v -> Mlp.loss(v.get(0), v.get(1), v.get(2), v.get(3), x, labels),
                p -> {
                    var g = MlpDerivatives.lossGradient(p.get(0), p.get(1), p.get(2), p.get(3), x, labels);
                    return List.of(g.value(), g.w1(), g.b1(), g.w2(), g.b2());
                },
                List.of("w1", "b1", "w2", "b2"), model.parameters(), 1e-6, FD_COORDINATES);
        System.out.printf("  gradient check on %d images: worst difference %.2g (generated vs tape on all %d parameters,"
                + " vs finite differences on %d of each of the 4 arrays; %.1f s)%n", sample.size(), report.worst(),
                model.parameters().stream().mapToLong(INDArray::length).sum(), FD_COORDINATES, (System.nanoTime() - t0) / 1e9);
        report.assertWithin(1e-6);
    }

    /** ND4J ops of one gradient step, generated and on the tape. */
    private static void countOps(Model model, Digits batch) {
        INDArray x = batch.images();
        INDArray labels = batch.oneHot();
        long generated = OpCounter.countOps(() -> model.gradient(x, labels));
        long nd4jPath = OpCounter.countOps(() -> Dense.withoutFusedLoops(() -> model.gradient(x, labels)));
        Tape.reset();
        List<Variable> v = model.parameters().stream().map(Variable::constant).toList();
        long tape = OpCounter.countOps(() -> Tape.grad(Mlp.loss(v.get(0), v.get(1), v.get(2), v.get(3), x, labels),
                v.toArray(new Variable[0])));
        Tape.reset();
        System.out.printf("  one gradient step: %d ND4J ops generated (its matrix products; %s loops do the rest), %d on its ND4J path,"
                + " %d on the tape (forward and backward)%n", generated, MlpDerivatives.LOSS_OPS.gradient().matrixLoops(), nd4jPath, tape);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    private static INDArray gaussian(Random rng, double scale, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] data = new double[(int) n];
        for (int i = 0; i < data.length; i++) data[i] = scale * rng.nextGaussian();
        return Nd4j.createFromArray(data).reshape('c', shape).dup('c');
    }
}
