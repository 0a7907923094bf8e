package dev.tapeless.examples.ops;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Test inputs: arrays of a given shape and data type drawn from a seeded generator. */
final class Inputs {
    private Inputs() {}

    /** Where an op's inputs may lie: anywhere moderate, away from zero, or positive. */
    enum Domain {
        /** {@code [-1.5, 1.5]}. */
        ANY(-1.5, 1.5, false),
        /** {@code ±[0.25, 1.5]}: away from the kinks of abs and relu and the pole of 1/x. */
        NONZERO(0.25, 1.5, true),
        /** {@code [0.5, 2]}: inside the domain of log and sqrt. */
        POSITIVE(0.5, 2.0, false);

        final double lo;
        final double hi;
        final boolean randomSign;

        Domain(double lo, double hi, boolean randomSign) {
            this.lo = lo;
            this.hi = hi;
            this.randomSign = randomSign;
        }
    }

    static long[] shape(long... dims) {
        return dims;
    }

    static INDArray array(Random rng, DataType type, long[] shape, Domain domain) {
        long n = 1;
        for (long d : shape) n *= d;
        double[] data = new double[(int) n];
        for (int i = 0; i < data.length; i++) {
            double v = domain.lo + (domain.hi - domain.lo) * rng.nextDouble();
            data[i] = domain.randomSign && rng.nextBoolean() ? -v : v;
        }
        return Nd4j.createFromArray(data).reshape('c', shape).castTo(type).dup('c');
    }

    static String str(long[] shape) {
        return Arrays.toString(shape);
    }
}
