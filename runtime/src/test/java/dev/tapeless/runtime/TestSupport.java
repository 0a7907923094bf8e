package dev.tapeless.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.check.FiniteDifferences;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Array factories and the tape-versus-finite-differences check shared by the tests. */
final class TestSupport {

    static final double EPS = 1e-6;
    static final double TOLERANCE = 1e-6;

    private TestSupport() {}

    /** Where random inputs are drawn from. */
    enum Domain {
        /** Uniform in [-2, 2]. */
        ANY,
        /** Uniform in [0.5, 2]: log, sqrt, pow with non-integer powers, divisors. */
        POSITIVE,
        /** Magnitude in [0.2, 1.5], either sign: away from the kinks of relu and abs at 0. */
        AWAY_FROM_ZERO;

        double draw(Random random) {
            switch (this) {
                case ANY:
                    return -2.0 + 4.0 * random.nextDouble();
                case POSITIVE:
                    return 0.5 + 1.5 * random.nextDouble();
                default:
                    double magnitude = 0.2 + 1.3 * random.nextDouble();
                    return random.nextBoolean() ? magnitude : -magnitude;
            }
        }
    }

    static long length(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** A DOUBLE array of {@code shape} with values from {@code domain}. */
    static INDArray random(Random random, Domain domain, long... shape) {
        double[] data = new double[(int) length(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = domain.draw(random);
        }
        return Nd4j.create(data, shape);
    }

    /** A DOUBLE array from values, in row-major order. */
    static INDArray array(long[] shape, double... values) {
        return Nd4j.create(values, shape);
    }

    static long[] shape(long... sizes) {
        return sizes;
    }

    /** The elements in row-major order, as doubles. */
    static double[] flat(INDArray a) {
        double[] all = a.dup('c').data().asDouble();
        return Arrays.copyOf(all, (int) a.length());
    }

    /**
     * Same shape, same data type, and bit-for-bit the same elements. (INDArray.equals compares
     * with a tolerance of 1e-5, too loose for these tests.)
     */
    static void assertExact(INDArray expected, INDArray actual, String message) {
        String prefix = message == null ? "" : message + ": ";
        assertArrayEquals(expected.shape(), actual.shape(), prefix + "shape");
        assertEquals(expected.dataType(), actual.dataType(), prefix + "data type");
        assertArrayEquals(flat(expected), flat(actual), prefix + "expected " + expected + " but was " + actual);
    }

    static void assertExact(INDArray expected, INDArray actual) {
        assertExact(expected, actual, null);
    }

    static List<Variable> constants(List<INDArray> arrays) {
        List<Variable> out = new ArrayList<>();
        for (INDArray a : arrays) {
            out.add(Variable.constant(a));
        }
        return out;
    }

    /**
     * Checks the tape's gradient of {@code sum(op(inputs) * weights)} (random fixed weights, so
     * every output element matters) against central finite differences of the same loss, for
     * every input. Also checks that the inputs are left unchanged.
     */
    static void checkGradients(String label, Function<List<Variable>, Variable> op, List<INDArray> inputs) {
        List<INDArray> originals = new ArrayList<>();
        for (INDArray in : inputs) {
            originals.add(in.dup());
        }

        Tape.reset();
        long[] outShape = op.apply(constants(inputs)).shape();
        Random random = new Random(label.hashCode());
        double[] w = new double[(int) length(outShape)];
        for (int i = 0; i < w.length; i++) {
            w[i] = (random.nextBoolean() ? 1 : -1) * (0.5 + random.nextDouble());
        }
        INDArray weights = Nd4j.create(w, outShape);
        Function<List<Variable>, Variable> loss =
                vars -> op.apply(vars).mul(Variable.constant(weights)).sum();

        Tape.reset();
        List<Variable> vars = constants(inputs);
        List<Variable> tape = Tape.grad(loss.apply(vars), vars.toArray(new Variable[0]));
        Tape.reset();

        List<INDArray> numeric = FiniteDifferences.gradient(arrays -> {
            Tape.reset();
            double value = loss.apply(constants(arrays)).value().getDouble(0L);
            Tape.reset();
            return value;
        }, inputs, EPS);

        assertEquals(inputs.size(), tape.size(), label);
        for (int i = 0; i < inputs.size(); i++) {
            INDArray analytic = tape.get(i).value();
            String where = label + ", input " + i + " " + Arrays.toString(inputs.get(i).shape());
            assertArrayEquals(inputs.get(i).shape(), analytic.shape(), where + ": gradient shape");
            assertEquals(inputs.get(i).dataType(), analytic.dataType(), where + ": gradient dtype");
            double diff = FiniteDifferences.maxRelDiff(analytic, numeric.get(i));
            assertTrue(diff <= TOLERANCE, where + ": tape and finite differences differ by " + diff
                    + "\ntape: " + analytic + "\nfd:   " + numeric.get(i));
            assertExact(originals.get(i), inputs.get(i), where + ": input was modified");
        }
    }
}
