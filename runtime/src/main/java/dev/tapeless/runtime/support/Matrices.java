package dev.tapeless.runtime.support;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Support for the generated matrix loops: a tensor method's pass as Java loops over rows and
 * columns, with matrix products left to ND4J's BLAS ({@code gemm}, transposes as flags) and every
 * temporary in a buffer the companion keeps per thread. Generated code first works out the shape of
 * every value (rank 0, 1 or 2; {@code null} for anything else: a shape function given a null
 * returns null), and takes this path only when they all exist and its arguments {@link #fit}.
 *
 * <p>A value of rank 2 {@code [r, c]} is read at row {@code i}, column {@code j} of a loop over
 * its consumer's shape; rank 1 {@code [c]} lines up with the last axis, as NumPy broadcasts; an
 * axis of size 1 is read at 0 whatever the loop's index ({@link #rowStride}, {@link #columnStride}).
 */
public final class Matrices {
    private Matrices() {}

    /**
     * Whether the loops can read these arguments: each DOUBLE, row-major, contiguous, of rank 2 at
     * most (see {@link Dense#fits}; FLOAT keeps the ND4J path).
     */
    public static boolean fit(INDArray... arrays) {
        for (INDArray x : arrays) {
            if (x == null || x.rank() > 2 || !Dense.fits(x) || x.dataType() != arrays[0].dataType()) return false;
        }
        return true;
    }

    // ---- shapes -------------------------------------------------------------------------------

    /** NumPy's broadcast of two shapes of rank 2 at most; null when they do not broadcast or one is null. */
    public static long[] broadcast(long[] a, long[] b) {
        if (a == null || b == null) return null;
        if (Arrays.equals(a, b)) return a;
        int rank = Math.max(a.length, b.length);
        if (rank > 2) return null;
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) return null;
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** The broadcast of all the shapes, or null. */
    public static long[] broadcastAll(long[]... shapes) {
        long[] out = shapes[0];
        for (int i = 1; i < shapes.length; i++) out = broadcast(out, shapes[i]);
        return out;
    }

    /**
     * The shape of {@code a · b} by NumPy's matmul for ranks 1 and 2 (a vector on the left is a row,
     * on the right a column, and its axis is dropped from the result), or null.
     */
    public static long[] product(long[] a, long[] b) {
        if (a == null || b == null || a.length < 1 || a.length > 2 || b.length < 1 || b.length > 2) return null;
        if (a[a.length - 1] != b[0]) return null;
        long[] out = new long[(a.length - 1) + (b.length - 1)];
        int n = 0;
        if (a.length == 2) out[n++] = a[0];
        if (b.length == 2) out[n] = b[1];
        return out;
    }

    /**
     * The shape of {@code x} with axes {@code dims} (negative count from the end; none: all) of
     * size 1, kept or dropped; null for an axis out of range or named twice.
     */
    public static long[] reduced(long[] x, boolean keepDims, int... dims) {
        boolean[] axes = axes(x, dims);
        if (axes == null) return null;
        long[] out = new long[x.length];
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (!axes[i]) out[n++] = x[i];
            else if (keepDims) out[n++] = 1;
        }
        return Arrays.copyOf(out, n);
    }

    /** {@code x} with axes {@code dims} of size 1 (a reduction's result as it lines up with {@code x}); null as for {@link #reduced}. */
    public static long[] kept(long[] x, int... dims) {
        return reduced(x, true, dims);
    }

    /** How many elements a reduction of {@code x} over {@code dims} (none: all) adds up. */
    public static long count(long[] x, int... dims) {
        boolean[] axes = axes(x, dims);
        long n = 1;
        for (int i = 0; i < x.length; i++) if (axes[i]) n *= x[i];
        return n;
    }

    private static boolean[] axes(long[] x, int[] dims) {
        if (x == null) return null;
        boolean[] axes = new boolean[x.length];
        if (dims.length == 0) Arrays.fill(axes, true);
        for (int d : dims) {
            int a = d < 0 ? d + x.length : d;
            if (a < 0 || a >= x.length || axes[a]) return null;
            axes[a] = true;
        }
        return axes;
    }

    /** {@code x} when its last axis is {@code dim} (negative counts from the end), else null: the row kernels work along rows. */
    public static long[] alongRows(long[] x, int dim) {
        if (x == null || x.length == 0) return null;
        return dim == x.length - 1 || dim == -1 ? x : null;
    }

    /** Whether every shape was found. */
    public static boolean all(long[]... shapes) {
        for (long[] s : shapes) if (s == null) return false;
        return true;
    }

    /** Whether {@code a} and {@code b} are the same shape. */
    public static boolean same(long[] a, long[] b) {
        return a != null && Arrays.equals(a, b);
    }

    /** Whether {@code a} holds as many elements as {@code b} (so that one reads as the other, row-major). */
    public static boolean sameLength(long[] a, long[] b) {
        return a != null && b != null && length(a) == length(b);
    }

    /** Rows of a loop over {@code s}: 1 below rank 2. */
    public static long rows(long[] s) {
        return s.length == 2 ? s[0] : 1;
    }

    /** Columns of a loop over {@code s}: its last axis, 1 for rank 0. */
    public static long columns(long[] s) {
        return s.length == 0 ? 1 : s[s.length - 1];
    }

    public static long length(long[] s) {
        long n = 1;
        for (long d : s) n *= d;
        return n;
    }

    /** How far apart in memory two rows of {@code s} are, as a loop over a larger shape reads it: 0 when {@code s} has one row. */
    public static long rowStride(long[] s) {
        return s.length == 2 && s[0] != 1 ? s[1] : 0;
    }

    /** 1, or 0 when {@code s} has one column (each row reads the same element). */
    public static long columnStride(long[] s) {
        return s.length >= 1 && s[s.length - 1] != 1 ? 1 : 0;
    }

    // ---- arrays -------------------------------------------------------------------------------

    /** A new array of {@code like}'s data type, row-major, of shape {@code s}, its elements not yet written. */
    public static INDArray create(long[] s, INDArray like) {
        return Nd4j.createUninitialized(like.dataType(), s, 'c');
    }

    /** {@code x}, when it has shape {@code s} and {@code like}'s data type; else a new array. */
    public static INDArray into(INDArray x, long[] s, INDArray like) {
        return x != null && Arrays.equals(x.shape(), s) && x.dataType() == like.dataType() ? x : create(s, like);
    }

    /** Writes the first {@code n} sums into {@code x}. */
    public static void store(double[] sums, Dense.Elements x, long n) {
        for (int k = 0; k < n; k++) x.set(k, sums[k]);
    }

    /** Sets the first {@code n} elements to 0. */
    public static void zero(Dense.Elements x, long n) {
        for (long k = 0; k < n; k++) x.set(k, 0.0);
    }

    /** {@code c = a · b} by rank (see {@link #product(long[], long[])}), by BLAS into {@code c}. */
    public static void product(INDArray a, INDArray b, INDArray c) {
        INDArray am = asRow(a);
        INDArray bm = asColumn(b);
        Nd4j.gemm(am, bm, as(c, am.size(0), bm.size(1)), false, false, 1.0, 0.0);
    }

    /**
     * {@code c = g · bᵀ}, the adjoint of {@code a} (of shape {@code aShape}) in {@code a · b}, shaped
     * like {@code a}: by BLAS, no transpose made.
     */
    public static void productLeft(INDArray g, long[] aShape, INDArray b, INDArray c) {
        long rows = aShape.length == 2 ? aShape[0] : 1;
        INDArray bm = asColumn(b);
        Nd4j.gemm(as(g, rows, bm.size(1)), bm, as(c, rows, bm.size(0)), false, true, 1.0, 0.0);
    }

    /**
     * {@code c = aᵀ · g}, the adjoint of {@code b} (of shape {@code bShape}) in {@code a · b}, shaped
     * like {@code b}: by BLAS, no transpose made.
     */
    public static void productRight(INDArray g, INDArray a, long[] bShape, INDArray c) {
        long columns = bShape.length == 2 ? bShape[1] : 1;
        INDArray am = asRow(a);
        Nd4j.gemm(am, as(g, am.size(0), columns), as(c, am.size(1), columns), true, false, 1.0, 0.0);
    }

    /** {@code x} as a {@code rows × columns} matrix: itself when it is one (a new view costs ND4J more than the product of small matrices). */
    private static INDArray as(INDArray x, long rows, long columns) {
        return x.rank() == 2 && x.size(0) == rows && x.size(1) == columns ? x : x.reshape(rows, columns);
    }

    /** A matrix as it is, a vector as one row (a view). */
    private static INDArray asRow(INDArray x) {
        return x.rank() == 2 ? x : x.reshape(1, x.length());
    }

    /** A matrix as it is, a vector as one column (a view). */
    private static INDArray asColumn(INDArray x) {
        return x.rank() == 2 ? x : x.reshape(x.length(), 1);
    }

    /**
     * {@code out} = log-softmax of each row of {@code x} ({@code rows} by {@code columns}): {@code s
     * - log Σ exp(s)} with {@code s = x - max}, as {@link Kernels#logSoftmax}: finite wherever
     * {@code x} is.
     */
    public static void logSoftmaxRows(Dense.Elements x, Dense.Elements out, long rows, long columns) {
        for (long i = 0; i < rows; i++) {
            long start = i * columns;
            double max = rowMax(x, start, columns);
            double sum = 0;
            for (long j = 0; j < columns; j++) sum += Math.exp(x.get(start + j) - max);
            double logSum = Math.log(sum);
            for (long j = 0; j < columns; j++) out.set(start + j, x.get(start + j) - max - logSum);
        }
    }

    /** The largest of {@code columns} elements from {@code start} (NaN if one is NaN, as {@link Math#max}). */
    private static double rowMax(Dense.Elements x, long start, long columns) {
        double max = Double.NEGATIVE_INFINITY;
        for (long j = 0; j < columns; j++) max = Math.max(max, x.get(start + j));
        return max;
    }

    /** {@code out} = softmax of each row of {@code x}: {@code exp(x - max) / Σ exp(x - max)}. */
    public static void softmaxRows(Dense.Elements x, Dense.Elements out, long rows, long columns) {
        for (long i = 0; i < rows; i++) {
            long start = i * columns;
            double max = rowMax(x, start, columns);
            double sum = 0;
            for (long j = 0; j < columns; j++) {
                double e = Math.exp(x.get(start + j) - max);
                out.set(start + j, e);
                sum += e;
            }
            for (long j = 0; j < columns; j++) out.set(start + j, out.get(start + j) / sum);
        }
    }

    // ---- per-thread buffers -------------------------------------------------------------------

    /**
     * The temporaries of one generated entry point on one thread: slot {@code k} holds an array of
     * the shape last asked for, kept from call to call while the shape stays, so that a
     * steady-state call allocates nothing. A companion keeps one per entry point in a
     * {@link ThreadLocal}; its arrays never leave the call.
     */
    public static final class Frame {
        private INDArray[] arrays = new INDArray[0];
        private Dense.Elements[] elements = new Dense.Elements[0];
        private double[][] sums = new double[0][];

        /** Slot {@code k}'s array, of shape {@code s} and {@code like}'s data type (new when either changed). */
        public INDArray array(int k, long[] s, INDArray like) {
            if (k >= arrays.length) {
                arrays = Arrays.copyOf(arrays, k + 1);
                elements = Arrays.copyOf(elements, k + 1);
            }
            INDArray a = arrays[k];
            if (a == null || !Arrays.equals(a.shape(), s) || a.dataType() != like.dataType()) {
                if (a != null) Kernels.release(a);
                a = create(s, like);
                arrays[k] = a;
                elements[k] = Dense.of(a);
            }
            return a;
        }

        /** Sum array {@code k}: at least {@code n} doubles, the first {@code n} of them 0. */
        public double[] sums(int k, long n) {
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("matrix loops: a sum of " + n + " elements is more than a Java array holds");
            }
            if (k >= sums.length) sums = Arrays.copyOf(sums, k + 1);
            double[] s = sums[k];
            if (s == null || s.length < n) {
                s = new double[(int) n];
                sums[k] = s;
            } else {
                Arrays.fill(s, 0, (int) n, 0.0);
            }
            return s;
        }

        /** The elements of slot {@code k}'s array (after {@link #array}). */
        public Dense.Elements elements(int k) {
            return elements[k];
        }
    }
}
