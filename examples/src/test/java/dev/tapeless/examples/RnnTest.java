package dev.tapeless.examples;

import static dev.tapeless.examples.Exact.assertExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.FiniteDifferences;
import dev.tapeless.runtime.check.GradientCheck;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.EnumSource.Mode;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The recurrent network, whose hidden state goes through a {@code for} loop with {@code slice(t)}:
 * its gradient three ways for 1 step (the loop never runs), a few, and all of them; the pullback
 * of the last state; ops against the tape; the time-major layout; and the demo's claim, at least
 * 90% of held-out digits right after training with the generated gradient.
 */
class RnnTest {
    private final Random rng = new Random(11);

    @AfterEach
    void clearTape() {
        Tape.reset();
    }

    /** Parameters w, u, b, v, c; sequences time-major {@code [steps, n, d]}; one-hot labels. */
    private record Problem(List<INDArray> parameters, INDArray xs, INDArray labels) {}

    private Problem problem(DataType type, int steps, int n, int d, int h, int k) {
        double[][] oneHot = new double[n][k];
        for (int i = 0; i < n; i++) oneHot[i][rng.nextInt(k)] = 1;
        return new Problem(List.of(
                ExampleCheck.uniform(rng, type, -1, 1, d, h), ExampleCheck.uniform(rng, type, -0.7, 0.7, h, h),
                ExampleCheck.uniform(rng, type, -0.5, 0.5, h), ExampleCheck.uniform(rng, type, -1, 1, h, k),
                ExampleCheck.uniform(rng, type, -0.5, 0.5, k)),
                ExampleCheck.uniform(rng, type, 0, 1, steps, n, d), Nd4j.createFromArray(oneHot).castTo(type));
    }

    private static Function<List<Variable>, Variable> onTape(Problem p, int steps) {
        return v -> Rnn.loss(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), p.xs(), steps, p.labels());
    }

    private static Function<List<INDArray>, List<INDArray>> generated(Problem p, int steps) {
        return a -> {
            var g = RnnDerivatives.lossGradient(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4), p.xs(), steps, p.labels());
            return List.of(g.value(), g.w(), g.u(), g.b(), g.v(), g.c());
        };
    }

    private static final List<String> NAMES = List.of("w", "u", "b", "v", "c");

    /** 1 step: the loop runs 0 times and u gets zeros; 2: once; 6: all the sequence's steps. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 6})
    void gradientMatchesTapeAndFiniteDifferencesForAnyNumberOfSteps(int steps) {
        Problem p = problem(DataType.DOUBLE, 6, 4, 3, 5, 3);
        ExampleCheck.threeWays(onTape(p, steps), generated(p, steps), NAMES, p.parameters());
        if (steps == 1) {
            List<INDArray> g = generated(p, steps).apply(p.parameters());
            assertEquals(0.0, g.get(2).norm1Number().doubleValue(), "u is not read when the loop never runs");
        }
    }

    @Test
    void gradientInFloatMatchesTapeAndFiniteDifferences() {
        Problem p = problem(DataType.FLOAT, 5, 4, 3, 4, 3);
        ExampleCheck.threeWays(onTape(p, 5), generated(p, 5), NAMES, p.parameters());
    }

    @Test
    void readingLaterStepsChangesTheValue() {
        Problem p = problem(DataType.DOUBLE, 6, 4, 3, 5, 3);
        List<INDArray> w = p.parameters();
        double three = RnnDerivatives.loss(w.get(0), w.get(1), w.get(2), w.get(3), w.get(4), p.xs(), 3, p.labels()).getDouble(0);
        double six = RnnDerivatives.loss(w.get(0), w.get(1), w.get(2), w.get(3), w.get(4), p.xs(), 6, p.labels()).getDouble(0);
        assertTrue(three != six, three + " " + six);
    }

    @Test
    void lastStatePullbackMatchesTheTapeAndLossPullbackOfOneIsTheGradient() {
        Problem p = problem(DataType.DOUBLE, 6, 4, 3, 5, 3);
        List<INDArray> w = p.parameters();
        INDArray upstream = ExampleCheck.uniform(rng, DataType.DOUBLE, -1, 1, 4, 5);

        var vjp = RnnDerivatives.lastStateVjp(w.get(0), w.get(1), w.get(2), p.xs(), 6);
        var pulled = vjp.pullback(upstream);
        Tape.reset();
        List<Variable> v = w.subList(0, 3).stream().map(Variable::constant).toList();
        Variable h = Rnn.lastState(v.get(0), v.get(1), v.get(2), p.xs(), 6);
        assertExact(h.value(), vjp.value());
        List<Variable> tape = Tape.grad(h.mul(Variable.constant(upstream)).sum(), v.toArray(new Variable[0]));
        assertTrue(FiniteDifferences.maxRelDiff(pulled.w(), tape.get(0).value()) < 1e-10);
        assertTrue(FiniteDifferences.maxRelDiff(pulled.u(), tape.get(1).value()) < 1e-10);
        assertTrue(FiniteDifferences.maxRelDiff(pulled.b(), tape.get(2).value()) < 1e-10);
        // A second pullback reads the same saved states.
        assertExact(pulled.u(), vjp.pullback(upstream).u());

        var g = RnnDerivatives.lossGradient(w.get(0), w.get(1), w.get(2), w.get(3), w.get(4), p.xs(), 6, p.labels());
        var one = RnnDerivatives.lossVjp(w.get(0), w.get(1), w.get(2), w.get(3), w.get(4), p.xs(), 6, p.labels())
                .pullback(Nd4j.scalar(1.0));
        assertExact(g.w(), one.w());
        assertExact(g.u(), one.u());
        assertExact(g.c(), one.c());
    }

    @Test
    void gradientRunsNoMoreOpsThanTheTape() {
        Problem p = problem(DataType.DOUBLE, 8, 32, 8, 32, 10);
        ExampleCheck.noMoreOpsThanTheTape("RNN", onTape(p, 8), generated(p, 8), p.parameters());
    }

    @Test
    void timeMajorSliceTIsRowTOfEveryImage() {
        Digits digits = Digits.load().select(new int[] {5, 900, 17});
        INDArray xs = RnnDemo.timeMajor(digits.images());
        assertArrayEquals(new long[] {8, 3, 8}, xs.shape());
        for (int t = 0; t < 8; t++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 8; j++) {
                    assertEquals(digits.images().getDouble(i, 8 * t + j), xs.getDouble(t, i, j));
                }
            }
        }
    }

    @Test
    void trainingWithTheGeneratedGradientGetsAtLeastNinetyPercentOfHeldOutDigitsRight() {
        Random random = new Random(RnnDemo.SEED);
        Digits.Split split = Digits.load().split(RnnDemo.HELD_OUT, random);
        RnnDemo.Model model = RnnDemo.Model.initial(random, RnnDemo.HIDDEN);

        // The starting point's gradient on real digits, as the demo checks it (smaller: finite
        // differences on 4 elements of each array; the tape covers all of them).
        Digits sample = split.training().select(new int[] {0, 1, 2, 3});
        INDArray xs = RnnDemo.timeMajor(sample.images());
        INDArray labels = sample.oneHot();
        GradientCheck.of(v -> Rnn.loss(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), xs, RnnDemo.STEPS, labels),
                a -> {
                    var g = RnnDerivatives.lossGradient(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4), xs, RnnDemo.STEPS, labels);
                    return List.of(g.value(), g.w(), g.u(), g.b(), g.v(), g.c());
                }, NAMES, model.parameters(), 1e-6, 4).assertWithin(1e-6);

        double before = model.accuracy(split.heldOut());
        RnnDemo.train(model, split.training(), split.heldOut(), RnnDemo.EPOCHS, random,
                new PrintStream(OutputStream.nullOutputStream()));
        double after = model.accuracy(split.heldOut());
        assertTrue(before < 0.3, "untrained: " + before);
        assertTrue(after >= 0.9, "trained: " + after);
    }
}
