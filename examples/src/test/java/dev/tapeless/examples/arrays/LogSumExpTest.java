package dev.tapeless.examples.arrays;

import static dev.tapeless.examples.arrays.ArrayCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link LogSumExp}: the generated gradient is the softmax, at any magnitude, and never overflows. */
class LogSumExpTest {
    /** The checks of the method (a new one each time: its settings are its own). */
    private static ArrayCheck logSumExp() {
        return ArrayCheck.of(LogSumExp.class, "logSumExp", "x");
    }

    /** {@code exp(x_i - max) / Σ exp(x_j - max)}, computed directly. */
    private static double[] softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) max = Math.max(max, v);
        double[] e = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) sum += e[i] = Math.exp(x[i] - max);
        for (int i = 0; i < x.length; i++) e[i] /= sum;
        return e;
    }

    private static void isSoftmax(double[] x, double[] gradient, double tolerance) {
        double[] expected = softmax(x);
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            assertClose(expected[i], gradient[i], tolerance, 1, "softmax[" + i + "]");
            total += gradient[i];
        }
        assertClose(1, total, 1e-14 * x.length, 1, "the gradient sums to 1");
    }

    @Test
    void gradientIsTheSoftmax() {
        Random rng = new Random(7);
        for (int n : new int[] {2, 3, 10, 40}) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = 4 * rng.nextGaussian();
            Map<String, Object> g = logSumExp().at((Object) x);
            isSoftmax(x, (double[]) g.get("x"), 1e-14);
        }
    }

    @Test
    void emptyAndSingleElementArrays() {
        Map<String, Object> one = logSumExp().at((Object) new double[] {-3.5});
        assertEquals(-3.5, LogSumExpDerivatives.logSumExp(new double[] {-3.5}));
        assertEquals(1.0, ((double[]) one.get("x"))[0]);
        assertEquals(Double.NEGATIVE_INFINITY, LogSumExpDerivatives.logSumExp(new double[0]), "the log of an empty sum");
        logSumExp().at((Object) new double[0]);
    }

    @Test
    void largeInputsNeitherOverflowNorLosePrecision() {
        double[] big = {800, 799, 797.5};
        double value = LogSumExpDerivatives.logSumExp(big);
        assertTrue(Double.isFinite(value), "exp(800) overflows; the shifted sum does not");
        assertClose(800 + Math.log1p(Math.exp(-1) + Math.exp(-2.5)), value, 1e-15, 1, "value");
        // exp(x - max) varies on the scale of 1 however large x is: finite differences step by 1e-3.
        Map<String, Object> near800 = logSumExp().absoluteStep(1e-3).at((Object) big);
        isSoftmax(big, (double[]) near800.get("x"), 1e-14);
        // Near the largest doubles: the value is the maximum, its partial 1 and the others 0.
        double[] huge = {1e300, -1e300, 5e299};
        Map<String, Object> g = logSumExp().at((Object) huge);
        assertEquals(1e300, LogSumExpDerivatives.logSumExp(huge));
        isSoftmax(huge, (double[]) g.get("x"), 0);
    }

    @Test
    void shiftingEveryElementShiftsTheValueAndKeepsTheGradient() {
        double[] x = {0.25, -1.5, 2, 0.75};
        double[] at = (double[]) logSumExp().at((Object) x).get("x");
        for (double shift : new double[] {1e8, -1e8, 1e-200}) {
            double[] shifted = new double[x.length];
            for (int i = 0; i < x.length; i++) shifted[i] = x[i] + shift;
            var g = LogSumExpDerivatives.logSumExpGradient(shifted);
            assertEquals(LogSumExp.logSumExp(shifted), g.value());
            assertClose(LogSumExp.logSumExp(x) + shift, g.value(), 1e-15, 1, "value shifted by " + shift);
            // Adding 1e8 rounds each element to within 1e-8: the softmax moves by about as much.
            for (int i = 0; i < x.length; i++) assertClose(at[i], g.x()[i], 1e-7, 1, "partial " + i + " shifted by " + shift);
            isSoftmax(shifted, g.x(), 1e-14);
        }
    }

    @Test
    void tinyInputs() {
        // Around 0 the function is smooth on the scale of 1: finite differences step by 1e-3.
        Map<String, Object> g = logSumExp().at((Object) new double[] {1e-200, -3e-200, 0});
        for (double p : (double[]) g.get("x")) assertClose(1.0 / 3, p, 1e-15, 1, "partial");
    }
}
