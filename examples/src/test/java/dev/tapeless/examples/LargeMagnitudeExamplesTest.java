package dev.tapeless.examples;

import static dev.tapeless.examples.Exact.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.FiniteDifferences;
import dev.tapeless.runtime.check.GradientCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The examples far from 1, where each allows it: the seed at 2^±500, normalization of rows of
 * order 1e±150, the perceptron at logits of order 1e3 to 1e4, logistic regression on inputs of
 * order 1e-150 (large inputs saturate its sigmoid, and log(1 - p) is -∞ there on the tape too),
 * and Rosenbrock at 1e50. Differences are measured relative to the scale of the expected
 * gradient, since an absolute tolerance says nothing about numbers of order 1e-150.
 */
class LargeMagnitudeExamplesTest {
    private final Random rng = new Random(11);

    /** The seed {@code sum((a + b) * b)} has degree 2: at 2^k its value and gradient are exactly 2^2k and 2^k times. */
    @ParameterizedTest
    @ValueSource(ints = {500, -500})
    void seedScalesExactlyByPowersOfTwo(int k) {
        INDArray a = ExampleCheck.uniform(rng, DataType.DOUBLE, 0.5, 1.5, 10);
        INDArray b = ExampleCheck.uniform(rng, DataType.DOUBLE, 0.5, 1.5, 10);
        double s = Math.scalb(1.0, k);
        var g = SeedDerivatives.lossGradient(a, b);
        var gs = SeedDerivatives.lossGradient(a.mul(s), b.mul(s));
        assertExact(g.value().mul(s * s), gs.value(), "value");
        assertExact(g.a().mul(s), gs.a(), "d_a");
        assertExact(g.b().mul(s), gs.b(), "d_b");
        var pulled = SeedDerivatives.lossVjp(a.mul(s), b.mul(s)).pullback(Nd4j.scalar(1.0));
        assertExact(gs.a(), pulled.a(), "pullback d_a");
        assertExact(gs.b(), pulled.b(), "pullback d_b");
    }

    /**
     * Rows of order 1e150 (their squares, 1e300, still fit) and 1e-150 (their variance vanishes
     * next to EPS): generated vs tape vs finite differences, with a step relative to the rows at
     * 1e150, and of 1e-6 at 1e-150 (a step of 1e-156 would be lost in rounding the loss, of order 1,
     * and the function is linear there to within var/EPS).
     */
    @ParameterizedTest
    @ValueSource(doubles = {1e150, 1e-150})
    void normalizationOfRowsFarFromOne(double scale) {
        INDArray x = ExampleCheck.uniform(rng, DataType.DOUBLE, -2, 3, 4, 6).mul(scale);
        INDArray gain = ExampleCheck.uniform(rng, DataType.DOUBLE, 0.5, 1.5, 6);
        INDArray bias = ExampleCheck.uniform(rng, DataType.DOUBLE, -0.5, 0.5, 6);
        INDArray w = ExampleCheck.uniform(rng, DataType.DOUBLE, -1, 1, 4, 6);
        Function<List<Variable>, Variable> onTape = v -> Normalization.weighted(v.get(0), v.get(1), v.get(2), w);
        var g = NormalizationDerivatives.weightedGradient(x, gain, bias, w);
        List<INDArray> tape = tapeGradient(onTape, List.of(x, gain, bias));
        List<INDArray> fd = FiniteDifferences.gradient(value(v -> Normalization.weighted(v.get(0),
                Variable.constant(gain), Variable.constant(bias), w)), List.of(x), 1e-6 * Math.max(1, scale));
        // d/dx is of order 1/scale at 1e150 (scale-free normalization) and 1/sqrt(EPS) at 1e-150.
        double dxScale = scale > 1 ? 1 / scale : 1;
        assertClose(tape.get(0), g.x(), dxScale, 1e-9, "d/dx vs tape");
        assertClose(fd.get(0), g.x(), dxScale, 1e-6, "d/dx vs finite differences");
        assertClose(tape.get(1), g.gain(), 1, 1e-9, "d/dgain vs tape");
        assertClose(tape.get(2), g.bias(), 1, 1e-9, "d/dbias vs tape");
        assertTrue(Double.isFinite(g.value().getDouble(0L)));
    }

    /** Second-layer weights scaled so that the logits are of order 1e3 and 1e4: the log-softmax must stay finite. */
    @ParameterizedTest
    @ValueSource(doubles = {1e3, 1e4})
    void perceptronAtLargeLogits(double scale) {
        for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            int n = 8;
            int k = 3;
            double[][] oneHot = new double[n][k];
            for (int i = 0; i < n; i++) oneHot[i][rng.nextInt(k)] = 1;
            INDArray labels = Nd4j.createFromArray(oneHot).castTo(type);
            INDArray x = ExampleCheck.uniform(rng, type, -1, 1, n, 6);
            List<INDArray> p = List.of(ExampleCheck.uniform(rng, type, -1, 1, 6, 5),
                    ExampleCheck.uniform(rng, type, -0.5, 0.5, 5), ExampleCheck.uniform(rng, type, -1, 1, 5, k).mul(scale),
                    ExampleCheck.uniform(rng, type, -0.5, 0.5, k).mul(scale));
            Function<List<Variable>, Variable> onTape = v -> Mlp.loss(v.get(0), v.get(1), v.get(2), v.get(3), x, labels);
            Function<List<INDArray>, List<INDArray>> generated = a -> {
                var g = MlpDerivatives.lossGradient(a.get(0), a.get(1), a.get(2), a.get(3), x, labels);
                return List.of(g.value(), g.w1(), g.b1(), g.w2(), g.b2());
            };
            INDArray logits = MlpDerivatives.logits(p.get(0), p.get(1), p.get(2), p.get(3), x);
            assertTrue(logits.amaxNumber().doubleValue() > scale / 10, "logits of order " + scale + ": " + logits);
            List<INDArray> g = generated.apply(p);
            for (INDArray a : g) assertTrue(allFinite(a), type + ": " + a);
            if (type == DataType.DOUBLE) {
                // The loss is nearly linear at saturated logits; a step of 1e-4 keeps rounding of a loss of 1e3..1e4 small.
                GradientCheck.Report r = GradientCheck.of(onTape, generated, List.of("w1", "b1", "w2", "b2"), p, 1e-4);
                assertTrue(r.worst() <= 1e-6, r::toString);
            } else {
                List<INDArray> tape = tapeGradient(onTape, p);
                for (int i = 0; i < tape.size(); i++) {
                    assertTrue(FiniteDifferences.maxRelDiff(g.get(i + 1), tape.get(i)) <= 1e-4, type + " parameter " + i);
                }
            }
        }
    }

    /** Inputs of order 1e-150: the gradient for w is of that order, and must not be flushed to zero or lost. */
    @Test
    void logisticRegressionOnTinyInputs() {
        DataType type = DataType.DOUBLE;
        double scale = 1e-150;
        INDArray x = ExampleCheck.uniform(rng, type, -2, 2, 16, 5).mul(scale);
        double[] labels = new double[16];
        for (int i = 0; i < labels.length; i++) labels[i] = rng.nextBoolean() ? 1 : 0;
        INDArray y = Nd4j.createFromArray(labels).castTo(type);
        INDArray w = ExampleCheck.uniform(rng, type, -1, 1, 5);
        INDArray b = ExampleCheck.uniform(rng, type, -0.5, 0.5);
        Function<List<Variable>, Variable> onTape = v -> LogisticRegression.loss(v.get(0), v.get(1), x, y);
        var g = LogisticRegressionDerivatives.lossGradient(w, b, x, y);
        List<INDArray> tape = tapeGradient(onTape, List.of(w, b));
        assertTrue(g.w().amaxNumber().doubleValue() > scale / 100, "d/dw of order 1e-150: " + g.w());
        assertClose(tape.get(0), g.w(), scale, 1e-9, "d/dw vs tape");
        assertClose(tape.get(1), g.b(), 1, 1e-9, "d/db vs tape");
        // d/dw = mean((p - y) x) with p = sigmoid(b) + O(1e-150): by hand.
        double p = 1 / (1 + Math.exp(-b.getDouble(0L)));
        INDArray byHand = x.transpose().mmul(y.rsub(p)).div(16);
        assertClose(byHand, g.w(), scale, 1e-12, "d/dw by hand");
    }

    /** Rosenbrock at 1e50: terms of 1e202 and a gradient of 1e152, against its closed form. */
    @Test
    void rosenbrockAtLargeArguments() {
        double[] x = new double[6];
        for (int i = 0; i < x.length; i++) x[i] = (1 + rng.nextDouble()) * 1e50 * (rng.nextBoolean() ? 1 : -1);
        var g = RosenbrockDerivatives.rosenbrockGradient(x[0], x[1], x[2], x[3], x[4], x[5]);
        assertEquals(Rosenbrock.rosenbrock(x[0], x[1], x[2], x[3], x[4], x[5]), g.value());
        double[] actual = {g.x0(), g.x1(), g.x2(), g.x3(), g.x4(), g.x5()};
        for (int i = 0; i < 6; i++) {
            double expected = (i + 1 < 6 ? -400 * x[i] * (x[i + 1] - x[i] * x[i]) - 2 * (1 - x[i]) : 0)
                    + (i > 0 ? 200 * (x[i] - x[i - 1] * x[i - 1]) : 0);
            assertTrue(Double.isFinite(actual[i]) && Math.abs(actual[i] - expected) <= 1e-12 * Math.abs(expected),
                    "d/dx" + i + ": " + actual[i] + " vs " + expected);
        }
    }

    private static List<INDArray> tapeGradient(Function<List<Variable>, Variable> f, List<INDArray> at) {
        Tape.reset();
        List<Variable> vars = new ArrayList<>();
        for (INDArray a : at) vars.add(Variable.constant(a));
        List<Variable> g = Tape.grad(f.apply(vars), vars.toArray(new Variable[0]));
        Tape.reset();
        return g.stream().map(Variable::value).toList();
    }

    private static Function<List<INDArray>, Double> value(Function<List<Variable>, Variable> f) {
        return at -> {
            Tape.reset();
            List<Variable> vars = new ArrayList<>();
            for (INDArray a : at) vars.add(Variable.constant(a));
            double v = f.apply(vars).value().getDouble(0L);
            Tape.reset();
            return v;
        };
    }

    private static boolean allFinite(INDArray a) {
        for (double v : a.dup('c').data().asDouble()) {
            if (!Double.isFinite(v)) return false;
        }
        return true;
    }

    /** Every element finite, and within {@code tol} of the reference relative to {@code scale}, the size the gradient should have. */
    private static void assertClose(INDArray expected, INDArray actual, double scale, double tol, String what) {
        double d = FiniteDifferences.maxRelDiff(actual.div(scale), expected.div(scale));
        assertTrue(allFinite(actual) && d <= tol, () -> what + ": differs by " + d + " (relative to " + scale + ")\nexpected " + expected
                + "\nactual   " + actual);
    }
}
