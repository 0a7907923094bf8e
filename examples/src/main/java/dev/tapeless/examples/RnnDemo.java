package dev.tapeless.examples;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.GradientCheck;
import dev.tapeless.runtime.check.OpCounter;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The recurrent example: trains {@link Rnn} on the UCI handwritten digits, read row by row (8 steps
 * of 8 pixels, top row first), with the gradient Tapeless generated at compile time for a method
 * whose hidden state is carried through a {@code for} loop ({@code RnnDerivatives.lossGradient}).
 * Minibatch SGD with momentum, the learning rate decaying linearly over the epochs. Checks one gradient against the tape and finite differences first,
 * then prints one line per epoch: mean minibatch loss, held-out accuracy, time. Everything random
 * comes from one seed, so every run prints the same numbers (times aside).
 *
 * <pre>{@code mvn -q -DskipTests package exec:java -Dexec.mainClass=dev.tapeless.examples.RnnDemo}</pre>
 */
public final class RnnDemo {
    private RnnDemo() {}

    static final long SEED = 2024;
    /** Each image is a sequence of its 8 rows. */
    static final int STEPS = 8;
    static final int ROW = Digits.PIXELS / STEPS;
    static final int HIDDEN = 32;
    static final int EPOCHS = 12;
    static final int BATCH = 32;
    /** The first epoch's learning rate; epoch {@code e} of {@code E} uses {@code (1 - (e-1)/E)} of it. */
    static final double LEARNING_RATE = 0.05;
    static final double MOMENTUM = 0.9;
    static final double HELD_OUT = 0.2;
    /** Finite differences on this many elements of each parameter array; the tape checks all of them. */
    static final int FD_COORDINATES = 24;

    /** The weights and biases of {@link Rnn} and their momentum, updated in place. */
    record Model(INDArray w, INDArray u, INDArray b, INDArray v, INDArray c, List<INDArray> velocity) {
        /**
         * Input and output weights scaled by {@code 1/sqrt(fan-in)}; recurrent weights likewise, at
         * half that, so that the state neither saturates nor dies out over 8 steps; zero biases.
         */
        static Model initial(Random rng, int hidden) {
            INDArray w = gaussian(rng, Math.sqrt(1.0 / ROW), ROW, hidden);
            INDArray u = gaussian(rng, 0.5 * Math.sqrt(1.0 / hidden), hidden, hidden);
            INDArray b = Nd4j.zeros(DataType.DOUBLE, hidden);
            INDArray v = gaussian(rng, Math.sqrt(1.0 / hidden), hidden, Digits.CLASSES);
            INDArray c = Nd4j.zeros(DataType.DOUBLE, Digits.CLASSES);
            List<INDArray> velocity = List.of(w, u, b, v, c).stream().map(Nd4j::zerosLike).toList();
            return new Model(w, u, b, v, c, velocity);
        }

        /** {@code xs} time-major, {@code [8, n, 8]} (see {@link #timeMajor}). */
        RnnDerivatives.LossGradient gradient(INDArray xs, INDArray labels) {
            return RnnDerivatives.lossGradient(w, u, b, v, c, xs, STEPS, labels);
        }

        /** One step of SGD with momentum: {@code velocity = momentum velocity - rate g; p += velocity}. */
        void step(RnnDerivatives.LossGradient g, double rate) {
            List<INDArray> gradients = List.of(g.w(), g.u(), g.b(), g.v(), g.c());
            List<INDArray> parameters = parameters();
            for (int i = 0; i < gradients.size(); i++) {
                INDArray vel = velocity.get(i);
                vel.muli(MOMENTUM).subi(gradients.get(i).muli(rate));
                parameters.get(i).addi(vel);
            }
        }

        /** The fraction of {@code data} whose largest logit is the right digit. */
        double accuracy(Digits data) {
            INDArray logits = RnnDerivatives.logits(w, u, b, v, c, timeMajor(data.images()), STEPS);
            INDArray predicted = logits.argMax(1);
            int right = 0;
            for (int i = 0; i < data.size(); i++) if (predicted.getInt(i) == data.labels()[i]) right++;
            return (double) right / data.size();
        }

        List<INDArray> parameters() {
            return List.of(w, u, b, v, c);
        }
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        if (System.getenv("OMP_NUM_THREADS") == null) {
            // Small arrays: one thread per op (see Main).
            Nd4j.getEnvironment().setMaxThreads(1);
        }
        Random rng = new Random(SEED);
        Digits.Split split = Digits.load().split(HELD_OUT, rng);
        Digits train = split.training();
        Digits heldOut = split.heldOut();
        Model model = Model.initial(rng, HIDDEN);

        System.out.printf("Tapeless: a recurrent network (h = tanh(x_t w + h u + b), %d steps of %d pixels, %d hidden,"
                + " log-softmax cross-entropy on the last state) on UCI digits read row by row,%n", STEPS, ROW, HIDDEN);
        System.out.printf("trained by minibatch SGD (momentum %.1f, rate %.2f decaying linearly) with the gradient generated"
                + " at compile time through the for loop (RnnDerivatives.lossGradient)%n", MOMENTUM, LEARNING_RATE);
        System.out.printf("  data: %d training and %d held-out images, as sequences [8 rows, batch, 8 pixels]%n",
                train.size(), heldOut.size());

        checkOneGradient(model, train.select(range(16)));
        countOps(model, train.select(range(BATCH)));

        train(model, train, heldOut, EPOCHS, rng, System.out);
        double accuracy = model.accuracy(heldOut);
        System.out.printf("held-out accuracy: %.1f%% (%d of %d images)   total time %.1f s%n", 100 * accuracy,
                Math.round(accuracy * heldOut.size()), heldOut.size(), (System.nanoTime() - start) / 1e9);
    }

    /**
     * Images {@code [n, 64]} as sequences of their rows, time-major: {@code [8, n, 8]}, so that
     * {@code slice(t)} inside {@link Rnn#lastState} is row {@code t} of every image. Done here, as
     * data, outside the differentiated method.
     */
    static INDArray timeMajor(INDArray images) {
        long n = images.size(0);
        return images.reshape('c', n, STEPS, ROW).permute(1, 0, 2).dup('c');
    }

    /**
     * Minibatch SGD with momentum on {@code train}, reshuffled by {@code rng} every epoch, the
     * learning rate decaying linearly from {@link #LEARNING_RATE} (without the decay, momentum at
     * that rate makes the held-out accuracy swing by several points from one epoch to the next).
     * One line per epoch to {@code out}: mean minibatch loss, accuracy on {@code heldOut}, training
     * time of the epoch (the accuracy's forward pass not included).
     */
    static Model train(Model model, Digits train, Digits heldOut, int epochs, Random rng, PrintStream out) {
        INDArray trainLabels = train.oneHot();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long t0 = System.nanoTime();
            double rate = LEARNING_RATE * (1 - (epoch - 1.0) / epochs);
            int[] order = Digits.permutation(train.size(), rng);
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < order.length; from += BATCH) {
                int[] batch = Arrays.copyOfRange(order, from, Math.min(from + BATCH, order.length));
                INDArray xs = timeMajor(Nd4j.pullRows(train.images(), 1, batch));
                INDArray labels = Nd4j.pullRows(trainLabels, 1, batch);
                RnnDerivatives.LossGradient g = model.gradient(xs, labels);
                lossSum += g.value().getDouble(0);
                batches++;
                model.step(g, rate);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf("  epoch %2d  loss %.4f  held-out accuracy %5.1f%%  %.2f s%n",
                    epoch, lossSum / batches, 100 * model.accuracy(heldOut), seconds);
        }
        return model;
    }

    /** The generated gradient against the tape and central finite differences, at the starting point. */
    private static void checkOneGradient(Model model, Digits sample) {
        long t0 = System.nanoTime();
        INDArray xs = timeMajor(sample.images());
        INDArray labels = sample.oneHot();
        GradientCheck.Report report = GradientCheck.of(
                p -> Rnn.loss(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4), xs, STEPS, labels),
                p -> {
                    var g = RnnDerivatives.lossGradient(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4), xs, STEPS, labels);
                    return List.of(g.value(), g.w(), g.u(), g.b(), g.v(), g.c());
                },
                List.of("w", "u", "b", "v", "c"), model.parameters(), 1e-6, FD_COORDINATES);
        System.out.printf("  gradient check on %d images: worst difference %.2g (generated vs tape on all %d parameters,"
                + " vs finite differences on up to %d of each of the 5 arrays; %.1f s)%n", sample.size(), report.worst(),
                model.parameters().stream().mapToLong(INDArray::length).sum(), FD_COORDINATES, (System.nanoTime() - t0) / 1e9);
        report.assertWithin(1e-6);
    }

    /** ND4J ops of one gradient step, generated and on the tape. */
    private static void countOps(Model model, Digits batch) {
        INDArray xs = timeMajor(batch.images());
        INDArray labels = batch.oneHot();
        long generated = OpCounter.countOps(() -> model.gradient(xs, labels));
        Tape.reset();
        List<Variable> p = model.parameters().stream().map(Variable::constant).toList();
        long tape = OpCounter.countOps(() -> Tape.grad(
                Rnn.loss(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4), xs, STEPS, labels), p.toArray(new Variable[0])));
        Tape.reset();
        System.out.printf("  one gradient step: %d ND4J ops generated, %d on the tape (forward and backward)%n", generated, tape);
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
