package dev.tapeless.examples.ops;

import static dev.tapeless.examples.Exact.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.FiniteDifferences;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bad arguments to generated code are {@link IllegalArgumentException}s that say what is wrong
 * where: the op, the source line it comes from and the shapes (or data types) involved; the same
 * from every entry point.
 */
class ErrorsTest {
    private static List<String> source;
    private final Random rng = new Random(5);

    @BeforeAll
    static void readSource() throws IOException {
        source = Files.readAllLines(Path.of("src/test/java/dev/tapeless/examples/ops/Ops.java"));
    }

    /** {@code Ops.java:N}, where N is the line of the one-line method {@code name}. */
    private static String site(String name) {
        for (int i = 0; i < source.size(); i++) {
            if (source.get(i).contains("public static Variable " + name + "(")) return "Ops.java:" + (i + 1);
        }
        throw new AssertionError("no method " + name + " in Ops.java");
    }

    private INDArray x(DataType type, long... shape) {
        return Inputs.array(rng, type, shape, Inputs.Domain.NONZERO);
    }

    private static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' does not mention '" + p + "'");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"add", "sub", "mul", "div", "rsub", "rdiv"})
    void shapesThatDoNotBroadcastNameTheOpTheLineAndBothShapes(String op) {
        OpUnderTest o = OpCatalogue.op(op);
        INDArray a = x(DataType.DOUBLE, 3, 4);
        INDArray b = x(DataType.DOUBLE, 3);
        INDArray w = x(DataType.DOUBLE, 3, 4);
        // The reversed ops compute other ∘ this: ND4J sees the operands swapped, the message does too.
        String[] shapes = op.startsWith("r") ? new String[] {"[3] and [3, 4]"} : new String[] {"[3, 4] and [3]"};
        String ndOp = op.startsWith("r") ? op.substring(1) : op;
        for (Executable call : List.<Executable>of(
                () -> o.forward().apply(List.of(a, b)),
                () -> o.weightedGradient().apply(List.of(a, b), w),
                () -> o.pullback(List.of(a, b), w))) {
            assertMessage(call, site(op) + ": " + ndOp + ": shapes " + shapes[0] + " do not broadcast");
        }
    }

    @Test
    void aWeightOfTheWrongShapeNamesTheMultiplicationThatUsesIt() {
        assertMessage(() -> OpsDerivatives.addWGradient(x(DataType.DOUBLE, 3, 4), x(DataType.DOUBLE, 4), x(DataType.DOUBLE, 2, 4)),
                site("addW") + ": mul: shapes [3, 4] and [2, 4] do not broadcast");
    }

    @Test
    void mixingFloatAndDoubleIsAnErrorNotAConversion() {
        assertMessage(() -> OpsDerivatives.add(x(DataType.FLOAT, 3, 4), x(DataType.DOUBLE, 3, 4)),
                site("add"), "add", "FLOAT", "DOUBLE");
        assertMessage(() -> OpsDerivatives.mulWGradient(x(DataType.FLOAT, 3), x(DataType.FLOAT, 3), x(DataType.DOUBLE, 3)),
                site("mulW"), "mul", "FLOAT", "DOUBLE");
        assertMessage(() -> OpsDerivatives.mmul(x(DataType.DOUBLE, 3, 4), x(DataType.FLOAT, 4, 2)),
                site("mmul"), "mmul", "FLOAT", "DOUBLE");
    }

    @Test
    void mmulOfMismatchedShapesNamesTheLineAndBothShapes() {
        assertMessage(() -> OpsDerivatives.mmulWGradient(x(DataType.DOUBLE, 3, 4), x(DataType.DOUBLE, 5, 2), x(DataType.DOUBLE, 3, 2)),
                site("mmul") + ": mmul: shapes [3, 4] and [5, 2]");
        assertMessage(() -> OpsDerivatives.mmul(x(DataType.DOUBLE, 2, 3, 4), x(DataType.DOUBLE, 4)),
                site("mmul") + ": mmul: shapes [2, 3, 4] and [4]");
    }

    @Test
    void reshapeAndExpandToShapesThatDoNotFitNameTheLineAndTheShapes() {
        assertMessage(() -> OpsDerivatives.reshape26(x(DataType.DOUBLE, 5)), site("reshape26") + ": reshape: cannot reshape [5]", "[2, 6]");
        assertMessage(() -> OpsDerivatives.expand34(x(DataType.DOUBLE, 2)), site("expand34") + ": expand", "[2]", "[3, 4]");
        assertMessage(() -> OpsDerivatives.expand34(x(DataType.DOUBLE, 2, 3, 4)), site("expand34") + ": expand", "[2, 3, 4]", "[3, 4]");
    }

    @Test
    void aDimensionOutOfRangeIsAnError() {
        assertMessage(() -> OpsDerivatives.sum1(x(DataType.DOUBLE, 4)), "sum: dim 1 is out of range for shape [4]");
        assertMessage(() -> OpsDerivatives.softmax1(x(DataType.DOUBLE, 4)), "softmax: dim 1 is out of range for shape [4]");
        assertMessage(() -> OpsDerivatives.logSoftmax0(x(DataType.DOUBLE)), "logSoftmax: dim 0 is out of range for shape []");
    }

    /**
     * {@code sum(0, -2)} names one axis twice on rank 2 (the processor rejects only dims that are
     * equal as written, which repeat on every rank): an error from every entry point, worded as the
     * tape words it. On rank 3 the same dims are two axes.
     */
    @Test
    void dimsThatNameOneAxisTwiceAtThisRankAreTheTapesError() {
        INDArray m = x(DataType.DOUBLE, 3, 4);
        Tape.reset();
        String tape = assertThrows(IllegalArgumentException.class, () -> Ops.sum0Minus2(Variable.constant(m))).getMessage();
        String keptTape = assertThrows(IllegalArgumentException.class,
                () -> Ops.meanMinus1And1Keep(Variable.constant(m))).getMessage();
        Tape.reset();
        assertEquals("sum: dim -2 is repeated in [0, -2] for shape [3, 4]", tape);
        for (Executable call : List.<Executable>of(
                () -> OpsDerivatives.sum0Minus2(m),
                () -> OpsDerivatives.sum0Minus2Vjp(m),
                () -> OpsDerivatives.sum0Minus2Gradient(m))) {
            assertEquals(tape, assertThrows(IllegalArgumentException.class, call).getMessage());
        }
        assertEquals(keptTape, assertThrows(IllegalArgumentException.class,
                () -> OpsDerivatives.meanMinus1And1KeepGradient(m)).getMessage());

        INDArray t = x(DataType.DOUBLE, 2, 3, 4);
        Tape.reset();
        INDArray onTape = Ops.sum0Minus2(Variable.constant(t)).value();
        Tape.reset();
        assertTrue(FiniteDifferences.maxRelDiff(OpsDerivatives.sum0Minus2(t), onTape) <= 1e-12);
        var g = OpsDerivatives.sum0Minus2Vjp(t).pullback(Nd4j.ones(DataType.DOUBLE, 4));
        assertExact(Nd4j.ones(DataType.DOUBLE, 2, 3, 4), g.x());
    }

    @Test
    void anUpstreamOfTheWrongShapeOrTypeIsAnError() {
        var vjp = OpsDerivatives.mulVjp(x(DataType.DOUBLE, 3, 4), x(DataType.DOUBLE, 4));
        assertMessage(() -> vjp.pullback(x(DataType.DOUBLE, 4)), "upstream", "[3, 4]", "[4]");
        assertMessage(() -> vjp.pullback(x(DataType.FLOAT, 3, 4)), "upstream", "DOUBLE", "FLOAT");
        assertMessage(() -> vjp.pullback(null), "upstream");
    }

    @Test
    void aNullArgumentIsNamed() {
        assertMessage(() -> OpsDerivatives.addWGradient(x(DataType.DOUBLE, 3), null, x(DataType.DOUBLE, 3)), "'b'");
    }

    @Test
    void anEmptyArgumentIsNamedWithItsShape() {
        INDArray empty = Nd4j.create(DataType.DOUBLE, 0);
        assertMessage(() -> OpsDerivatives.addWGradient(x(DataType.DOUBLE, 3), empty, x(DataType.DOUBLE, 3)), "'b'", "empty", "[0]");
        assertMessage(() -> OpsDerivatives.addW(empty, x(DataType.DOUBLE, 3), x(DataType.DOUBLE, 3)), "'a'", "empty");
        assertMessage(() -> OpsDerivatives.addWVjp(x(DataType.DOUBLE, 3), x(DataType.DOUBLE, 3), empty), "empty");
    }
}
