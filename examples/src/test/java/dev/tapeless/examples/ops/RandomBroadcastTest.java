package dev.tapeless.examples.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.FiniteDifferences;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 200 cases drawn with a fixed seed: a binary op and two shapes that broadcast (ranks 0 to 4,
 * sizes 1 to 4, each operand keeping a suffix of the result's axes and any of them at size 1).
 * The generated gradient of the weighted sum and the op's pullback must equal the tape's gradient.
 */
class RandomBroadcastTest {
    private static final int CASES = 200;
    private static final List<String> OPS = BinaryOpsTest.OPS;

    @Test
    void generatedGradientsEqualTheTapeOnRandomBroadcasts() {
        Random rng = new Random(20240601);
        List<String> failures = new ArrayList<>();
        for (int n = 0; n < CASES; n++) {
            String op = OPS.get(rng.nextInt(OPS.size()));
            long[][] shapes = broadcastablePair(rng);
            List<INDArray> inputs = List.of(
                    Inputs.array(rng, DataType.DOUBLE, shapes[0], BinaryOpsTest.domain(op, 0)),
                    Inputs.array(rng, DataType.DOUBLE, shapes[1], BinaryOpsTest.domain(op, 1)));
            String label = "case " + n + ": " + op + Arrays.toString(shapes[0]) + Arrays.toString(shapes[1]);
            try {
                check(OpCatalogue.op(op), inputs, rng);
            } catch (AssertionError | RuntimeException e) {
                failures.add(label + ": " + e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " of " + CASES + " cases failed:\n" + String.join("\n", failures));
    }

    private static void check(OpUnderTest op, List<INDArray> inputs, Random rng) {
        INDArray reference = Verify.onTape(op, inputs);
        INDArray w = Inputs.array(rng, DataType.DOUBLE, reference.shape(), Inputs.Domain.ANY);

        Tape.reset();
        List<Variable> vars = inputs.stream().map(Variable::constant).toList();
        Variable loss = op.weightedOnTape().apply(vars, w);
        List<Variable> tape = Tape.grad(loss, vars.toArray(new Variable[0]));
        Tape.reset();

        List<INDArray> generated = op.weightedGradient().apply(inputs, w);
        List<INDArray> pulled = op.pullback(inputs, w);
        assertTrue(FiniteDifferences.maxRelDiff(generated.get(0).reshape(loss.value().shape()), loss.value()) <= 1e-12, "value");
        for (int i = 0; i < inputs.size(); i++) {
            INDArray expected = tape.get(i).value();
            assertArrayEquals(expected.shape(), generated.get(i + 1).shape(), "gradient shape");
            assertArrayEquals(expected.shape(), pulled.get(i + 1).shape(), "pullback shape");
            double g = FiniteDifferences.maxRelDiff(generated.get(i + 1), expected);
            double p = FiniteDifferences.maxRelDiff(pulled.get(i + 1), expected);
            assertTrue(g <= 1e-12 && p <= 1e-12, "d" + op.parameters().get(i) + ": gradient " + g + ", pullback " + p);
        }
    }

    /** A result shape, and two operand shapes that broadcast to it. */
    static long[][] broadcastablePair(Random rng) {
        int rank = rng.nextInt(5);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) out[i] = 1 + rng.nextInt(4);
        return new long[][] {operand(rng, out), operand(rng, out)};
    }

    /** A suffix of {@code out}'s axes, each either kept or shrunk to 1. */
    private static long[] operand(Random rng, long[] out) {
        int rank = rng.nextInt(out.length + 1);
        long[] s = Arrays.copyOfRange(out, out.length - rank, out.length);
        for (int i = 0; i < rank; i++) {
            if (rng.nextInt(3) == 0) s[i] = 1;
        }
        return s;
    }
}
