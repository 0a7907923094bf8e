package dev.tapeless.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shape arithmetic shared by the tape's ops: NumPy broadcasting, reduction axes, and the two
 * array helpers every broadcasting rule needs ({@link #sumTo} and {@link #expandTo}).
 * Package-private: this is the tape's own implementation, not an API.
 */
final class Shapes {

    private Shapes() {}

    /** {@code [3, 4]}, {@code []} for rank 0. */
    static String str(long[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * The NumPy broadcast of two shapes: align from the right; each pair of sizes must be equal
     * or one of them 1.
     *
     * @throws IllegalArgumentException "op: shapes [3, 4] and [2, 4] do not broadcast"
     */
    static long[] broadcast(String op, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new IllegalArgumentException(
                        op + ": shapes " + str(a) + " and " + str(b) + " do not broadcast");
            }
        }
        return out;
    }

    /** {@code x} with leading axes of size 1 up to {@code rank} (a view), or {@code x} itself. */
    static INDArray withRank(INDArray x, int rank) {
        if (x.rank() >= rank) {
            return x;
        }
        long[] shape = new long[rank];
        Arrays.fill(shape, 1L);
        System.arraycopy(x.shape(), 0, shape, rank - x.rank(), x.rank());
        return x.reshape('c', shape);
    }

    /**
     * Sums {@code g} (shaped like a broadcast result) back to {@code target}, the shape of one
     * operand: sums over the leading axes the operand did not have and, keeping them, over the
     * axes where the operand has size 1; then reshapes to {@code target}. Returns {@code g}
     * itself when the shapes already agree.
     */
    static INDArray sumTo(INDArray g, long[] target) {
        long[] shape = g.shape();
        if (Arrays.equals(shape, target)) {
            return g;
        }
        int lead = shape.length - target.length;
        if (lead < 0) {
            throw new IllegalStateException(
                    "internal error: cannot sum " + str(shape) + " to the larger rank of " + str(target));
        }
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < lead; i++) {
            axes.add(i);
        }
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 1 && shape[lead + i] != 1) {
                axes.add(lead + i);
            } else if (target[i] != shape[lead + i]) {
                throw new IllegalStateException(
                        "internal error: " + str(shape) + " is not a broadcast of " + str(target));
            }
        }
        INDArray summed = axes.isEmpty() ? g : g.sum(true, toIntArray(axes));
        return summed.reshape('c', target);
    }

    /**
     * A fresh array of {@code shape} holding {@code x} broadcast NumPy-style (the caller has
     * checked that it broadcasts). Done as {@code zeros(shape) + x}, since ND4J's
     * {@code broadcast(long...)} fails for targets of rank 3 and more.
     */
    static INDArray expandTo(INDArray x, long[] shape) {
        INDArray out = Nd4j.zeros(x.dataType(), shape).add(x);
        if (!Arrays.equals(out.shape(), shape)) {
            throw new IllegalStateException(
                    "internal error: expanding " + str(x.shape()) + " gave " + str(out.shape())
                            + ", not " + str(shape));
        }
        return out;
    }

    /**
     * Normalizes reduction dims: negative dims count from the end; the result is sorted and
     * duplicate-free. No dims means every axis (none for rank 0).
     *
     * @throws IllegalArgumentException for a dim out of range or a repeated dim
     */
    static int[] axes(String op, long[] shape, int... dims) {
        if (dims == null) {
            throw new IllegalArgumentException(op + ": dims is null");
        }
        int rank = shape.length;
        if (dims.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        boolean[] seen = new boolean[rank];
        for (int dim : dims) {
            int axis = axis(op, shape, dim);
            if (seen[axis]) {
                throw new IllegalArgumentException(
                        op + ": dim " + dim + " is repeated in " + Arrays.toString(dims)
                                + " for shape " + str(shape));
            }
            seen[axis] = true;
        }
        int[] out = new int[dims.length];
        int n = 0;
        for (int i = 0; i < rank; i++) {
            if (seen[i]) {
                out[n++] = i;
            }
        }
        return out;
    }

    /**
     * One dim, normalized to {@code 0..rank-1} ({@code -1} is the last axis).
     *
     * @throws IllegalArgumentException "op: dim 2 is out of range for shape [3, 4]"
     */
    static int axis(String op, long[] shape, int dim) {
        int rank = shape.length;
        if (dim < -rank || dim >= rank) {
            throw new IllegalArgumentException(
                    op + ": dim " + dim + " is out of range for shape " + str(shape));
        }
        return dim < 0 ? dim + rank : dim;
    }

    /** The shape left after reducing {@code axes} (sorted, unique) with or without keepDims. */
    static long[] reduced(long[] shape, int[] axes, boolean keepDims) {
        boolean[] reduce = new boolean[shape.length];
        for (int a : axes) {
            reduce[a] = true;
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            if (!reduce[i]) {
                out.add(shape[i]);
            } else if (keepDims) {
                out.add(1L);
            }
        }
        long[] result = new long[out.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = out.get(i);
        }
        return result;
    }

    /** Product of the sizes of {@code axes}. */
    static long count(long[] shape, int[] axes) {
        long n = 1;
        for (int a : axes) {
            n *= shape[a];
        }
        return n;
    }

    static int[] toIntArray(List<Integer> list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
