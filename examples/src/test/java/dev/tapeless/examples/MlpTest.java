package dev.tapeless.examples;

import static dev.tapeless.examples.Exact.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.FiniteDifferences;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.EnumSource.Mode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The two-layer perceptron's cross-entropy: three ways in both types, ops against the tape, pullback. */
class MlpTest {
    private final Random rng = new Random(4);

    private record Problem(List<INDArray> parameters, INDArray x, INDArray labels) {}

    private Problem problem(DataType type, int n, int d, int h, int k) {
        double[][] oneHot = new double[n][k];
        for (int i = 0; i < n; i++) oneHot[i][rng.nextInt(k)] = 1;
        return new Problem(List.of(
                ExampleCheck.uniform(rng, type, -1, 1, d, h), ExampleCheck.uniform(rng, type, -0.5, 0.5, h),
                ExampleCheck.uniform(rng, type, -1, 1, h, k), ExampleCheck.uniform(rng, type, -0.5, 0.5, k)),
                ExampleCheck.uniform(rng, type, -1, 1, n, d), Nd4j.createFromArray(oneHot).castTo(type));
    }

    private static Function<List<Variable>, Variable> onTape(Problem p) {
        return v -> Mlp.loss(v.get(0), v.get(1), v.get(2), v.get(3), p.x(), p.labels());
    }

    private static Function<List<INDArray>, List<INDArray>> generated(Problem p) {
        return a -> {
            var g = MlpDerivatives.lossGradient(a.get(0), a.get(1), a.get(2), a.get(3), p.x(), p.labels());
            return List.of(g.value(), g.w1(), g.b1(), g.w2(), g.b2());
        };
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"}, mode = Mode.INCLUDE)
    void gradientMatchesTapeAndFiniteDifferences(DataType type) {
        Problem p = problem(type, 8, 6, 5, 3);
        ExampleCheck.threeWays(onTape(p), generated(p), List.of("w1", "b1", "w2", "b2"), p.parameters());
    }

    @Test
    void gradientRunsNoMoreOpsThanTheTape() {
        Problem p = problem(DataType.DOUBLE, 32, 64, 32, 10);
        ExampleCheck.noMoreOpsThanTheTape("MLP", onTape(p), generated(p), p.parameters());
    }

    @Test
    void pullbackOfOneIsTheGradientAndLogitsMatchTheTape() {
        Problem p = problem(DataType.DOUBLE, 8, 6, 5, 3);
        List<INDArray> w = p.parameters();
        var g = MlpDerivatives.lossGradient(w.get(0), w.get(1), w.get(2), w.get(3), p.x(), p.labels());
        var pulled = MlpDerivatives.lossVjp(w.get(0), w.get(1), w.get(2), w.get(3), p.x(), p.labels())
                .pullback(Nd4j.scalar(1.0));
        assertExact(g.w1(), pulled.w1());
        assertExact(g.b2(), pulled.b2());
        Tape.reset();
        INDArray onTape = Mlp.logits(Variable.constant(w.get(0)), Variable.constant(w.get(1)),
                Variable.constant(w.get(2)), Variable.constant(w.get(3)), p.x()).value();
        Tape.reset();
        INDArray logits = MlpDerivatives.logits(w.get(0), w.get(1), w.get(2), w.get(3), p.x());
        assertTrue(FiniteDifferences.maxAbsDiff(logits, onTape) < 1e-12);
    }
}
