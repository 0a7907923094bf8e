package dev.tapeless.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exact comparison of arrays. {@code INDArray.equals} (and so {@code assertEquals} on arrays)
 * forgives differences up to 1e-5, which would hide a wrong last digit, a write of 1e-9 into an
 * argument, or a FLOAT rounding where DOUBLE was expected; these tests compare bits.
 */
public final class Exact {
    private Exact() {}

    /** Same shape, same data type, and every element the same bits (any NaN equals any NaN). */
    public static void assertExact(INDArray expected, INDArray actual, String label) {
        String prefix = label == null ? "" : label + ": ";
        assertArrayEquals(expected.shape(), actual.shape(), prefix + "shape");
        assertEquals(expected.dataType(), actual.dataType(), prefix + "data type");
        double[] e = elements(expected);
        double[] a = elements(actual);
        for (int i = 0; i < e.length; i++) {
            if (Double.doubleToLongBits(e[i]) != Double.doubleToLongBits(a[i])) {
                throw new AssertionError(prefix + "element " + i + " is " + a[i] + ", expected " + e[i]
                        + " (differs by " + (a[i] - e[i]) + ")\nexpected " + expected + "\nactual   " + actual);
            }
        }
    }

    public static void assertExact(INDArray expected, INDArray actual) {
        assertExact(expected, actual, null);
    }

    /** The elements in row-major order, whatever the array's layout (a FLOAT converts exactly). */
    static double[] elements(INDArray x) {
        double[] all = x.dup('c').data().asDouble();
        return java.util.Arrays.copyOf(all, (int) x.length());
    }
}
