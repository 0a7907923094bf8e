package dev.tapeless.runtime.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inputs for gradient checks that a test does not want to write: uniform draws from a seeded
 * generator (the same seed, the same inputs), DOUBLE arrays of any shape and plain numbers, kept
 * away from kinks where asked (the 0 of {@code relu} and {@code abs}, where finite differences
 * straddle two slopes).
 *
 * <pre>{@code
 * RandomInputs in = RandomInputs.seeded(7).avoiding(0, 0.05);
 * INDArray x = in.array(4, 3);           // uniform in [-1, 1), no element within 0.05 of 0
 * double s = in.number(0.5, 2);
 * }</pre>
 */
public final class RandomInputs {
    private final Random random;
    private final List<double[]> kinks;

    private RandomInputs(Random random, List<double[]> kinks) {
        this.random = random;
        this.kinks = kinks;
    }

    public static RandomInputs seeded(long seed) {
        return new RandomInputs(new Random(seed), List.of());
    }

    /**
     * Draws that keep at least {@code margin} from {@code kink} (redrawn until they do), sharing
     * this generator; kinks add up.
     */
    public RandomInputs avoiding(double kink, double margin) {
        if (!(margin > 0)) throw new IllegalArgumentException("margin " + margin + " must be positive");
        List<double[]> more = new ArrayList<>(kinks);
        more.add(new double[] {kink, margin});
        return new RandomInputs(random, List.copyOf(more));
    }

    /** Uniform in [-1, 1). */
    public double number() {
        return number(-1, 1);
    }

    /** Uniform in [low, high). */
    public double number(double low, double high) {
        if (!(low < high)) throw new IllegalArgumentException("[" + low + ", " + high + ") is empty");
        for (int attempt = 0; attempt < 10_000; attempt++) {
            double x = low + (high - low) * random.nextDouble();
            if (clear(x)) return x;
        }
        throw new IllegalArgumentException("[" + low + ", " + high + ") has almost nothing away from the kinks " + describeKinks());
    }

    /** {@code n} numbers uniform in [-1, 1). */
    public double[] numbers(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = number();
        return out;
    }

    /** A DOUBLE array of {@code shape} (none: rank 0), uniform in [-1, 1). */
    public INDArray array(long... shape) {
        return arrayBetween(-1, 1, shape);
    }

    /**
     * A DOUBLE array of {@code shape}, uniform in [low, high). (Not an overload of {@link #array}:
     * {@code array(-1, 1, 1000)} would be the shape {@code [-1, 1, 1000]}.)
     */
    public INDArray arrayBetween(double low, double high, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) a.putScalar(i, number(low, high));
        return a;
    }

    private boolean clear(double x) {
        for (double[] k : kinks) if (Math.abs(x - k[0]) < k[1]) return false;
        return true;
    }

    private String describeKinks() {
        List<String> out = new ArrayList<>();
        for (double[] k : kinks) out.add(k[0] + " ± " + k[1]);
        return out.toString();
    }
}
