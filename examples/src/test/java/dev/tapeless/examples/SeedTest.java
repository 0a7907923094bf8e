package dev.tapeless.examples;

import static dev.tapeless.examples.Exact.assertExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.GradientCheck;
import dev.tapeless.runtime.check.OpCounter;
import dev.tapeless.runtime.check.OpCounter.Counted;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.tapeless.runtime.support.Dense;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The five cases of the seed experiment (a tape autograd captured into a straight-line graph), on
 * the generated companion: forward, forward with {@code Tape.reset()} inside, gradient, gradient
 * with the reset, and the split (forward and pullback as two calls). Each against the tape on two
 * input pairs, with op counts measured by ND4J's profiler. The seed's own figures: forward 3 ops,
 * gradient 8, split 8 in total. The forward pass and the gradient have fused loops, which run no
 * ND4J op: their ND4J path (for arguments that do not fit the loops) is counted with the loops
 * turned off, and the loops' values are checked against it.
 */
class SeedTest {

    static Stream<Arguments> inputPairs() {
        Nd4j.getRandom().setSeed(7);
        return Stream.of(
                Arguments.of(Nd4j.rand(DataType.DOUBLE, 10), Nd4j.rand(DataType.DOUBLE, 10)),
                Arguments.of(Nd4j.linspace(-2, 2, 10, DataType.DOUBLE), Nd4j.rand(DataType.DOUBLE, 10).mul(3)));
    }

    @AfterEach
    void clearTape() {
        Tape.reset();
    }

    private static INDArray onTape(INDArray a, INDArray b, boolean reset) {
        Tape.reset();
        Variable va = Variable.constant(a);
        Variable vb = Variable.constant(b);
        return (reset ? Seed.lossWithReset(va, vb) : Seed.loss(va, vb)).value();
    }

    /** Generated value and gradient (value, d/da, d/db) against the tape and finite differences. */
    private static void assertMatchesTapeAndFiniteDifferences(BinaryOperator<Variable> onTape,
            BiFunction<INDArray, INDArray, List<INDArray>> generated, INDArray a, INDArray b) {
        GradientCheck.of(v -> onTape.apply(v.get(0), v.get(1)), x -> generated.apply(x.get(0), x.get(1)),
                List.of("a", "b"), List.of(a, b)).assertWithin(1e-6);
    }

    @ParameterizedTest
    @MethodSource("inputPairs")
    void forwardRunsThreeOpsAndMatchesTheTape(INDArray a, INDArray b) {
        Counted<INDArray> forward = OpCounter.count(() -> Dense.withoutFusedLoops(() -> SeedDerivatives.loss(a, b)));
        assertExact(onTape(a, b, false), forward.value());
        assertEquals(3, forward.ops(), forward.breakdown());
        assertEquals(3, SeedDerivatives.LOSS_OPS.forward().fewest());
    }

    @ParameterizedTest
    @MethodSource("inputPairs")
    void forwardRunsOneFusedLoopAndNoOp(INDArray a, INDArray b) {
        Counted<INDArray> fused = OpCounter.count(() -> SeedDerivatives.loss(a, b));
        assertEquals(0, fused.ops(), fused.breakdown());
        assertEquals(1, SeedDerivatives.LOSS_OPS.forward().fusedLoops());
        assertClose(onTape(a, b, false), fused.value());
    }

    @ParameterizedTest
    @MethodSource("inputPairs")
    void gradientRunsOneFusedLoopAndNoOp(INDArray a, INDArray b) {
        Counted<SeedDerivatives.LossGradient> fused = OpCounter.count(() -> SeedDerivatives.lossGradient(a, b));
        assertEquals(0, fused.ops(), fused.breakdown());
        assertEquals(1, SeedDerivatives.LOSS_OPS.gradient().fusedLoops());
        var nd4j = Dense.withoutFusedLoops(() -> SeedDerivatives.lossGradient(a, b));
        assertClose(nd4j.value(), fused.value().value());
        // Elementwise results: the same arithmetic in the same order, so the same bits.
        assertExact(nd4j.a(), fused.value().a());
        assertExact(nd4j.b(), fused.value().b());
        assertNotSame(b, fused.value().a());
    }

    /** A sum added up in another order: equal to rounding, same shape and data type. */
    private static void assertClose(INDArray expected, INDArray actual) {
        assertEquals(expected.dataType(), actual.dataType());
        assertArrayEquals(expected.shape(), actual.shape());
        assertEquals(expected.getDouble(0), actual.getDouble(0), 1e-14 * Math.abs(expected.getDouble(0)));
    }

    @ParameterizedTest
    @MethodSource("inputPairs")
    void forwardWithResetInsideRunsThreeOpsAndMatchesTheTape(INDArray a, INDArray b) {
        Counted<INDArray> forward = OpCounter.count(() -> Dense.withoutFusedLoops(() -> SeedDerivatives.lossWithReset(a, b)));
        assertExact(onTape(a, b, true), forward.value());
        assertEquals(3, forward.ops(), forward.breakdown());
    }

    @ParameterizedTest
    @MethodSource("inputPairs")
    void gradientRunsFourOpsAndMatchesTapeAndFiniteDifferences(INDArray a, INDArray b) {
        Counted<SeedDerivatives.LossGradient> g =
                OpCounter.count(() -> Dense.withoutFusedLoops(() -> SeedDerivatives.lossGradient(a, b)));
        assertEquals(4, g.ops(), g.breakdown());
        assertEquals(g.ops(), SeedDerivatives.LOSS_OPS.gradient().fewest());
        assertExact(b, g.value().a());
        assertExact(a.add(b.mul(2)), g.value().b());
        GradientCheck.check(SeedDerivatives.LOSS, a, b).assertWithin(1e-6);
    }

    @ParameterizedTest
    @MethodSource("inputPairs")
    void gradientWithResetInsideMatchesTheTape(INDArray a, INDArray b) {
        Counted<SeedDerivatives.LossWithResetGradient> g =
                OpCounter.count(() -> Dense.withoutFusedLoops(() -> SeedDerivatives.lossWithResetGradient(a, b)));
        assertEquals(4, g.ops(), g.breakdown());
        GradientCheck.check(SeedDerivatives.LOSS_WITH_RESET, a, b).assertWithin(1e-6);
    }

    @ParameterizedTest
    @MethodSource("inputPairs")
    void splitForwardThenPullbackRunsSixOpsWithinTheSeedsEight(INDArray a, INDArray b) {
        Counted<SeedDerivatives.LossVjp> forward = OpCounter.count(() -> SeedDerivatives.lossVjp(a, b));
        INDArray one = Nd4j.scalar(1.0);
        Counted<SeedDerivatives.LossGradient> backward = OpCounter.count(() -> forward.value().pullback(one));
        assertEquals(3, forward.ops(), forward.breakdown());
        assertEquals(3, backward.ops(), backward.breakdown()); // b·u, t·u, and their sum for d_b
        assertTrue(forward.ops() + backward.ops() <= 8, forward.breakdown() + " | " + backward.breakdown());
        assertExact(onTape(a, b, false), forward.value().value());
        assertMatchesTapeAndFiniteDifferences(Seed::loss, (x, y) -> {
            var r = SeedDerivatives.lossVjp(x, y).pullback(Nd4j.scalar(1.0));
            return List.of(r.value(), r.a(), r.b());
        }, a, b);
    }
}
