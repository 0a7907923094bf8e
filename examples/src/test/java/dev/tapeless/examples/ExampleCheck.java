package dev.tapeless.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.GradientCheck;
import dev.tapeless.runtime.check.OpCounter;
import dev.tapeless.runtime.support.Dense;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What every example is checked for: three ways, types kept, and ops against the tape's. */
final class ExampleCheck {
    private ExampleCheck() {}

    static INDArray uniform(Random rng, DataType type, double lo, double hi, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] data = new double[(int) n];
        for (int i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * rng.nextDouble();
        return Nd4j.createFromArray(data).reshape('c', shape).castTo(type).dup('c');
    }

    /** Generated gradient vs tape vs central finite differences, within DOUBLE's or FLOAT's tolerance. */
    static GradientCheck.Report threeWays(Function<List<Variable>, Variable> onTape,
            Function<List<INDArray>, List<INDArray>> generated, List<String> names, List<INDArray> inputs) {
        DataType type = inputs.get(0).dataType();
        boolean dbl = type == DataType.DOUBLE;
        GradientCheck.Report report = GradientCheck.of(onTape, generated, names, inputs, dbl ? 1e-6 : 1e-2);
        double vsTape = dbl ? 1e-9 : 1e-4;
        double vsFd = dbl ? 1e-6 : 2e-2;
        for (GradientCheck.Row row : report.rows()) {
            assertTrue(row.vsTape() <= vsTape && row.vsFiniteDifferences() <= vsFd, report::toString);
        }
        assertTrue(report.valueDifference() <= vsTape, report::toString);
        List<INDArray> g = generated.apply(inputs);
        for (int i = 0; i < inputs.size(); i++) {
            assertEquals(type, g.get(i + 1).dataType(), names.get(i));
            assertArrayEquals(inputs.get(i).shape(), g.get(i + 1).shape(), names.get(i));
        }
        assertEquals(type, g.get(0).dataType(), "value");
        return report;
    }

    /** ND4J ops of the tape's forward and backward pass: from the method's call through {@code Tape.grad}. */
    static long tapeOps(Function<List<Variable>, Variable> onTape, List<INDArray> inputs) {
        Tape.reset();
        List<Variable> vars = inputs.stream().map(Variable::constant).toList();
        long ops = OpCounter.countOps(() -> Tape.grad(onTape.apply(vars), vars.toArray(new Variable[0])));
        Tape.reset();
        return ops;
    }

    /**
     * The generated gradient runs no more ND4J ops than the tape's forward and backward on its ND4J
     * path, and no more than that where its fused or matrix loops run; all three reported.
     */
    static void noMoreOpsThanTheTape(String example, Function<List<Variable>, Variable> onTape,
            Function<List<INDArray>, List<INDArray>> generated, List<INDArray> inputs) {
        long tape = tapeOps(onTape, inputs);
        OpCounter.Counted<List<INDArray>> nd4j = OpCounter.count(() -> Dense.withoutFusedLoops(() -> generated.apply(inputs)));
        OpCounter.Counted<List<INDArray>> gen = OpCounter.count(() -> generated.apply(inputs));
        System.out.printf("%s: generated gradient %d ND4J ops (%d on its ND4J path), tape forward+backward %d%n  generated: %s%n",
                example, gen.ops(), nd4j.ops(), tape, gen.breakdown());
        assertTrue(nd4j.ops() <= tape, example + ": generated " + nd4j.ops() + " > tape " + tape + "\n" + nd4j.breakdown());
        assertTrue(gen.ops() <= nd4j.ops(), example + ": loops run " + gen.ops() + " ops > ND4J path " + nd4j.ops());
    }
}
