package dev.tapeless.runtime.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class FiniteDifferencesTest {

    private static INDArray arr(long[] shape, double... values) {
        return Nd4j.create(values, shape);
    }

    @Test
    void gradientOfKnownFunctions() {
        INDArray x = arr(new long[] {2, 2}, 1, -2, 0.5, 3);
        INDArray y = arr(new long[] {3}, 0.1, 0.2, 0.3);
        INDArray s = Nd4j.scalar(2.0);
        // f = sum(x^2) + 3 sum(sin y) + s^3
        Function<List<INDArray>, Double> f = a -> a.get(0).mul(a.get(0)).sumNumber().doubleValue()
                + 3 * Transforms.sin(a.get(1), true).sumNumber().doubleValue()
                + Math.pow(a.get(2).getDouble(0L), 3);
        List<INDArray> g = FiniteDifferences.gradient(f, List.of(x, y, s), 1e-6);
        assertEquals(3, g.size());
        assertArrayEquals(new long[] {2, 2}, g.get(0).shape());
        assertArrayEquals(new long[0], g.get(2).shape());
        assertTrue(FiniteDifferences.maxRelDiff(g.get(0), x.mul(2.0)) < 1e-8);
        assertTrue(FiniteDifferences.maxRelDiff(g.get(1), Transforms.cos(y, true).mul(3.0)) < 1e-8);
        assertEquals(12.0, g.get(2).getDouble(0L), 1e-7);
    }

    @Test
    void aWrongGradientIsCaught() {
        INDArray x = arr(new long[] {4}, 0.3, 1.1, -0.7, 2.0);
        List<INDArray> g = FiniteDifferences.gradient(
                a -> Transforms.sin(a.get(0), true).sumNumber().doubleValue(), List.of(x), 1e-6);
        assertTrue(FiniteDifferences.maxRelDiff(g.get(0), Transforms.cos(x, true)) < 1e-6);
        assertTrue(FiniteDifferences.maxRelDiff(g.get(0), Transforms.sin(x, true)) > 0.1);
        assertTrue(FiniteDifferences.maxRelDiff(g.get(0), Transforms.cos(x, true).mul(1.0001)) > 1e-6);
    }

    @Test
    void neverWritesTheCallersArrays() {
        INDArray x = arr(new long[] {3}, 1, 2, 3);
        INDArray copy = x.dup();
        // Even an f that writes into its argument cannot skew the result or reach the caller.
        List<INDArray> g = FiniteDifferences.gradient(a -> {
            double v = a.get(0).mul(a.get(0)).sumNumber().doubleValue();
            a.get(0).addi(100.0);
            return v;
        }, List.of(x), 1e-6);
        assertArrayEquals(copy.toDoubleVector(), x.toDoubleVector(), 0.0);
        assertTrue(FiniteDifferences.maxRelDiff(g.get(0), x.mul(2.0)) < 1e-8);
    }

    @Test
    void floatArraysUseTheStepTheyCanRepresent() {
        INDArray x = Nd4j.create(new float[] {1f, 2f}, new long[] {2});
        List<INDArray> g = FiniteDifferences.gradient(
                a -> a.get(0).castTo(DataType.DOUBLE).mul(a.get(0).castTo(DataType.DOUBLE)).sumNumber().doubleValue(),
                List.of(x), 1e-3);
        assertEquals(DataType.FLOAT, g.get(0).dataType());
        assertTrue(FiniteDifferences.maxAbsDiff(g.get(0), Nd4j.create(new double[] {2, 4})) < 1e-4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FiniteDifferences.gradient(a -> 0.0, List.of(x), 1e-12));
        assertTrue(e.getMessage().startsWith("gradient: eps 1.0E-12 does not change element 0"), e.getMessage());
    }

    @Test
    void badArguments() {
        INDArray x = Nd4j.scalar(1.0);
        assertThrows(IllegalArgumentException.class, () -> FiniteDifferences.gradient(null, List.of(x), 1e-6));
        assertThrows(IllegalArgumentException.class, () -> FiniteDifferences.gradient(a -> 0.0, null, 1e-6));
        assertThrows(IllegalArgumentException.class, () -> FiniteDifferences.gradient(a -> 0.0, List.of(x), 0));
        assertThrows(IllegalArgumentException.class, () -> FiniteDifferences.gradient(a -> 0.0, List.of(x), Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> FiniteDifferences.gradient(a -> null, List.of(x), 1e-6));
        assertThrows(IllegalArgumentException.class,
                () -> FiniteDifferences.gradient(a -> 0.0, List.of(Nd4j.createFromArray(1, 2)), 1e-6));
    }

    @Test
    void maxAbsAndRelDiff() {
        INDArray a = arr(new long[] {4}, 1, 100, -3, 0);
        INDArray b = arr(new long[] {4}, 1.5, 90, -3, 0.25);
        assertEquals(10.0, FiniteDifferences.maxAbsDiff(a, b));
        assertEquals(0.5 / 1.5, FiniteDifferences.maxRelDiff(a, b)); // 0.5/1.5, 10/90, 0, 0.25/1
        assertEquals(0.0, FiniteDifferences.maxAbsDiff(a, a.dup()));
        assertEquals(0.0, FiniteDifferences.maxAbsDiff(Nd4j.scalar(2.0), Nd4j.scalar(2.0f)));
        assertEquals(0.0, FiniteDifferences.maxAbsDiff(Nd4j.zeros(DataType.DOUBLE, 0, 3), Nd4j.zeros(DataType.DOUBLE, 0, 3)));

        INDArray inf = arr(new long[] {2}, Double.POSITIVE_INFINITY, 1);
        assertEquals(0.0, FiniteDifferences.maxAbsDiff(inf, inf.dup()));
        assertEquals(Double.POSITIVE_INFINITY, FiniteDifferences.maxRelDiff(inf, arr(new long[] {2}, 5, 1)));
        INDArray nan = arr(new long[] {2}, Double.NaN, 1);
        assertTrue(Double.isNaN(FiniteDifferences.maxAbsDiff(nan, nan.dup())));
        assertTrue(Double.isNaN(FiniteDifferences.maxRelDiff(arr(new long[] {2}, 0, 1), nan)));
    }

    @Test
    void diffShapesMustMatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FiniteDifferences.maxAbsDiff(Nd4j.zeros(DataType.DOUBLE, 3, 4), Nd4j.zeros(DataType.DOUBLE, 4, 3)));
        assertEquals("maxAbsDiff: shapes [3, 4] and [4, 3] differ", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FiniteDifferences.maxRelDiff(Nd4j.zeros(DataType.DOUBLE, 12), Nd4j.zeros(DataType.DOUBLE, 3, 4)));
        assertEquals("maxRelDiff: shapes [12] and [3, 4] differ", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FiniteDifferences.maxRelDiff(null, Nd4j.scalar(1.0)));
    }
}
