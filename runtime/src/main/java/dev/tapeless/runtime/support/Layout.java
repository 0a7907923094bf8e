package dev.tapeless.runtime.support;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shape and data type of an array, without its data. A generated {@code Vjp} keeps a layout,
 * not the array, for a forward value whose pullback reads only its shape (to sum an adjoint back to
 * it, or to spread one over it), so the array itself can be collected.
 */
public record Layout(long[] shape, DataType dataType) {

    /** The layout of {@code x}; null for no array (a value of a branch that did not run, which its pullback never reads). */
    public static Layout of(INDArray x) {
        return x == null ? null : new Layout(x.shape(), x.dataType());
    }

    public long length() {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    public int rank() {
        return shape.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layout l && Arrays.equals(shape, l.shape) && dataType == l.dataType;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + dataType.hashCode();
    }

    @Override
    public String toString() {
        return Arrays.toString(shape) + " " + dataType;
    }
}
