package dev.tapeless.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Row normalization with gain and bias: three ways in both types, ops against the tape, and what it computes. */
class NormalizationTest {
    private final Random rng = new Random(5);

    private record Problem(INDArray x, INDArray gain, INDArray bias, INDArray w) {}

    private Problem problem(DataType type, int n, int d) {
        return new Problem(ExampleCheck.uniform(rng, type, -2, 3, n, d), ExampleCheck.uniform(rng, type, 0.5, 1.5, d),
                ExampleCheck.uniform(rng, type, -0.5, 0.5, d), ExampleCheck.uniform(rng, type, -1, 1, n, d));
    }

    private static Function<List<Variable>, Variable> onTape(Problem p) {
        return v -> Normalization.weighted(v.get(0), v.get(1), v.get(2), p.w());
    }

    private static Function<List<INDArray>, List<INDArray>> generated(Problem p) {
        return a -> {
            var g = NormalizationDerivatives.weightedGradient(a.get(0), a.get(1), a.get(2), p.w());
            return List.of(g.value(), g.x(), g.gain(), g.bias());
        };
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"}, mode = Mode.INCLUDE)
    void gradientMatchesTapeAndFiniteDifferences(DataType type) {
        Problem p = problem(type, 4, 6);
        ExampleCheck.threeWays(onTape(p), generated(p), List.of("x", "gain", "bias"), List.of(p.x(), p.gain(), p.bias()));
    }

    @Test
    void gradientRunsNoMoreOpsThanTheTape() {
        Problem p = problem(DataType.DOUBLE, 16, 32);
        ExampleCheck.noMoreOpsThanTheTape("normalization", onTape(p), generated(p), List.of(p.x(), p.gain(), p.bias()));
    }

    @Test
    void rowsComeOutWithMeanZeroAndUnitDeviationBeforeGainAndBias() {
        Problem p = problem(DataType.DOUBLE, 5, 8);
        INDArray y = NormalizationDerivatives.normalize(p.x(), Nd4j.ones(DataType.DOUBLE, 8), Nd4j.zeros(DataType.DOUBLE, 8));
        assertTrue(FiniteDifferences.maxAbsDiff(y.mean(1), Nd4j.zeros(DataType.DOUBLE, 5)) < 1e-12);
        INDArray deviation = org.nd4j.linalg.ops.transforms.Transforms.sqrt(y.mul(y).mean(1));
        assertTrue(FiniteDifferences.maxAbsDiff(deviation, Nd4j.ones(DataType.DOUBLE, 5)) < 1e-4);
    }
}
