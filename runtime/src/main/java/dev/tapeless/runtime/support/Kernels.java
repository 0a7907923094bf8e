package dev.tapeless.runtime.support;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.custom.LogSumExp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What generated companions call where ND4J alone would be wrong or unclear: broadcasting checked
 * against NumPy's rules with an error that names the source line, matrix products by rank, and the
 * shape computations of the reverse pass. Every method that may return its argument does so only
 * when shapes already agree (the fast path, no ND4J op); callers never write into results.
 */
public final class Kernels {
    private Kernels() {}

    // ---- argument checks ----------------------------------------------------------------------

    /** Rejects a null array argument with a message that names the parameter. */
    public static void requireArgument(INDArray x, String parameter) {
        if (x == null) throw new IllegalArgumentException("argument '" + parameter + "' is null");
        if (x.isEmpty()) {
            // ND4J's ops fail on empty arrays with a message that names neither the argument nor its shape
            throw new IllegalArgumentException("argument '" + parameter + "' is empty (shape " + Arrays.toString(x.shape())
                    + "): generated code needs at least one element");
        }
    }

    /** A gradient needs a one-element value; anything else is pointed to the vjp. */
    public static void requireScalar(INDArray value, String vjpMethod) {
        if (value.length() != 1) {
            throw new IllegalArgumentException("a gradient needs a scalar result, but the value has shape "
                    + Arrays.toString(value.shape()) + "; use " + vjpMethod
                    + "(...).pullback(upstream) for a vector-Jacobian product");
        }
    }

    /** The upstream adjoint of a pullback has the value's shape and data type. */
    public static void requireSameShape(INDArray upstream, INDArray value, String name) {
        requireArgument(upstream, name);
        if (!Arrays.equals(upstream.shape(), value.shape()) || upstream.dataType() != value.dataType()) {
            throw new IllegalArgumentException(name + " must have the value's shape " + Arrays.toString(value.shape())
                    + " and type " + value.dataType() + ", got " + Arrays.toString(upstream.shape())
                    + " " + upstream.dataType());
        }
    }

    // ---- elementwise binary ops, NumPy broadcasting -------------------------------------------

    public static INDArray add(INDArray a, INDArray b, String site) {
        long[] out = check("add", a, b, site);
        return raise(a, b, out).add(raise(b, a, out));
    }

    public static INDArray sub(INDArray a, INDArray b, String site) {
        long[] out = check("sub", a, b, site);
        return raise(a, b, out).sub(raise(b, a, out));
    }

    public static INDArray mul(INDArray a, INDArray b, String site) {
        long[] out = check("mul", a, b, site);
        return raise(a, b, out).mul(raise(b, a, out));
    }

    public static INDArray div(INDArray a, INDArray b, String site) {
        long[] out = check("div", a, b, site);
        return raise(a, b, out).div(raise(b, a, out));
    }

    private static long[] check(String op, INDArray a, INDArray b, String site) {
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(site + ": " + op + ": data types " + a.dataType() + " and "
                    + b.dataType() + " differ; convert one with castTo");
        }
        return broadcastShape(a.shape(), b.shape(), op, site);
    }

    /**
     * {@code x} with leading axes of size 1 up to its partner's rank, when the partner has the
     * higher rank and must itself be broadcast: ND4J fails on {@code [3,1] + [4]} (and
     * {@code [4] + [3,1]}, {@code [2,2,1] + [4]}, ...) but not on {@code [3,1] + [1,4]}. A view:
     * no op runs. Otherwise {@code x} itself.
     */
    private static INDArray raise(INDArray x, INDArray partner, long[] out) {
        if (x.rank() >= partner.rank() || Arrays.equals(partner.shape(), out)) return x;
        long[] raised = new long[out.length];
        Arrays.fill(raised, 1L);
        System.arraycopy(x.shape(), 0, raised, out.length - x.rank(), x.rank());
        return x.reshape(raised);
    }

    /** NumPy's broadcast of two shapes, or an error that names the op, the line and both shapes. */
    public static long[] broadcastShape(long[] a, long[] b, String op, String site) {
        if (Arrays.equals(a, b)) return a;
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(site + ": " + op + ": shapes " + Arrays.toString(a) + " and "
                        + Arrays.toString(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    // ---- reductions ---------------------------------------------------------------------------

    /** Sum over {@code dims} (negative counts from the end; none means all), keeping them if asked. */
    public static INDArray sum(INDArray x, boolean keepDims, int... dims) {
        int[] d = normalize(dims.length == 0 && keepDims ? allAxes(x.rank()) : dims, x.shape(), "sum");
        return d.length == 0 ? x.sum() : x.sum(keepDims, d);
    }

    public static INDArray mean(INDArray x, boolean keepDims, int... dims) {
        int[] d = normalize(dims.length == 0 && keepDims ? allAxes(x.rank()) : dims, x.shape(), "mean");
        return d.length == 0 ? x.mean() : x.mean(keepDims, d);
    }

    private static int[] allAxes(int rank) {
        int[] all = new int[rank];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return all;
    }

    /** How many elements of {@code like} a reduction over {@code dims} combines into one. */
    public static double count(INDArray like, int... dims) {
        return count(Layout.of(like), dims);
    }

    public static double count(Layout like, int... dims) {
        if (dims.length == 0) return like.length();
        long n = 1;
        for (int d : normalize(dims, like.shape(), "mean")) n *= like.shape()[d];
        return n;
    }

    /**
     * All dims, non-negative and sorted; an empty array when {@code dims} is empty. A dim out of
     * range, or one axis named twice ({@code (1, 1)}, or {@code (0, -2)} on rank 2), is an error
     * worded as the tape words it.
     */
    static int[] normalize(int[] dims, long[] shape, String op) {
        if (dims.length == 0) return dims;
        int rank = shape.length;
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = dims[i] < 0 ? dims[i] + rank : dims[i];
            if (d < 0 || d >= rank) {
                throw new IllegalArgumentException(op + ": dim " + dims[i] + " is out of range for shape "
                        + Arrays.toString(shape));
            }
            for (int j = 0; j < i; j++) {
                if (out[j] == d) {
                    throw new IllegalArgumentException(op + ": dim " + dims[i] + " is repeated in "
                            + Arrays.toString(dims) + " for shape " + Arrays.toString(shape));
                }
            }
            out[i] = d;
        }
        Arrays.sort(out);
        return out;
    }

    // ---- linear algebra and shapes ------------------------------------------------------------

    /** NumPy's matmul for ranks 1 and 2: matrix·matrix, matrix·vector, vector·matrix, vector·vector. */
    public static INDArray mmul(INDArray a, INDArray b, String site) {
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(site + ": mmul: data types " + a.dataType() + " and "
                    + b.dataType() + " differ; convert one with castTo");
        }
        int ra = a.rank();
        int rb = b.rank();
        if (ra < 1 || ra > 2 || rb < 1 || rb > 2 || a.size(ra - 1) != b.size(0)) {
            throw new IllegalArgumentException(site + ": mmul: shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + " do not multiply (ranks 1 and 2, inner sizes equal)");
        }
        INDArray am = ra == 1 ? a.reshape(1, a.length()) : a;
        INDArray bm = rb == 1 ? b.reshape(b.length(), 1) : b;
        INDArray y = Nd4j.gemm(am, bm, false, false);
        if (ra == 2 && rb == 2) return y;
        if (ra == 2) return y.reshape(a.size(0));
        if (rb == 2) return y.reshape(b.size(1));
        return y.reshape();
    }

    /** Adjoint of {@code a} in {@code y = mmul(a, b)}: {@code g · bᵀ}, by rank. */
    public static INDArray mmulGradLeft(INDArray g, INDArray a, INDArray b) {
        if (b.rank() == 1 && a.rank() == 1) return b.mul(g.getDouble(0));
        if (b.rank() == 1) return Nd4j.gemm(g.reshape(g.length(), 1), b.reshape(1, b.length()), false, false);
        if (a.rank() == 1) return Nd4j.gemm(b, g.reshape(g.length(), 1), false, false).reshape(a.length());
        return Nd4j.gemm(g, b, false, true);
    }

    /**
     * Adjoint of {@code a} in {@code y = mmul(a, b)} for {@code g} broadcast over {@code y}'s shape.
     * Generated code passes a number only for a one-element product, where it is {@code g b} (one
     * op): {@code a} and {@code b} then have the same elements, each pairing with one of the other.
     */
    public static INDArray mmulGradLeft(double g, INDArray a, INDArray b) {
        if (a.length() == b.length() && productLength(a, b) == 1) return b.reshape(a.shape()).mul(g);
        return mmulGradLeft(Nd4j.valueArrayOf(productShape(a, b), g, b.dataType()), a, b);
    }

    /** Adjoint of {@code b} in {@code y = mmul(a, b)}: {@code aᵀ · g}, by rank. */
    public static INDArray mmulGradRight(INDArray g, INDArray a, INDArray b) {
        if (a.rank() == 1 && b.rank() == 1) return a.mul(g.getDouble(0));
        if (a.rank() == 1) return Nd4j.gemm(a.reshape(a.length(), 1), g.reshape(1, g.length()), false, false);
        if (b.rank() == 1) return Nd4j.gemm(a, g.reshape(g.length(), 1), true, false).reshape(b.length());
        return Nd4j.gemm(a, g, true, false);
    }

    /** Adjoint of {@code b} in {@code y = mmul(a, b)} for {@code g} broadcast over {@code y}'s shape; see mmulGradLeft. */
    public static INDArray mmulGradRight(double g, INDArray a, INDArray b) {
        if (a.length() == b.length() && productLength(a, b) == 1) return a.reshape(b.shape()).mul(g);
        return mmulGradRight(Nd4j.valueArrayOf(productShape(a, b), g, a.dataType()), a, b);
    }

    private static long productLength(INDArray a, INDArray b) {
        long n = 1;
        for (long s : productShape(a, b)) n *= s;
        return n;
    }

    /** The shape of {@code mmul(a, b)}: {@code [m,n]}, {@code [m]}, {@code [n]} or {@code []} by rank. */
    private static long[] productShape(INDArray a, INDArray b) {
        if (a.rank() == 2 && b.rank() == 2) return new long[] {a.size(0), b.size(1)};
        if (a.rank() == 2) return new long[] {a.size(0)};
        if (b.rank() == 2) return new long[] {b.size(1)};
        return new long[0];
    }

    /** Reverses the axes (NumPy); ranks 0 and 1 are their own transpose. */
    public static INDArray transpose(INDArray x) {
        if (x.rank() < 2) return x;
        if (x.rank() == 2) return x.transpose();
        int[] axes = new int[x.rank()];
        for (int i = 0; i < axes.length; i++) axes[i] = axes.length - 1 - i;
        return x.permute(axes);
    }

    public static INDArray reshape(INDArray x, String site, long... shape) {
        long known = 1;
        int unknown = 0;
        for (long s : shape) {
            if (s == -1) unknown++;
            else known *= s;
        }
        boolean fits = unknown == 0 ? known == x.length() : unknown == 1 && known > 0 && x.length() % known == 0;
        if (!fits) {
            throw new IllegalArgumentException(site + ": reshape: cannot reshape " + Arrays.toString(x.shape())
                    + " (" + x.length() + " elements) to " + Arrays.toString(shape));
        }
        return x.reshape(shape);
    }

    /**
     * {@code x.slice(index)} as the tape computes it: the {@code index}-th sub-array along the
     * first axis, rank one lower, in a fresh row-major array.
     */
    public static INDArray slice(INDArray x, int index, String site) {
        long[] in = x.shape();
        if (in.length == 0) throw new IllegalArgumentException(site + ": slice of a rank-0 value, which has no first axis");
        if (index < 0 || index >= in[0]) {
            throw new IllegalArgumentException(site + ": slice index " + index + " is out of range for shape " + Arrays.toString(in));
        }
        long[] out = Arrays.copyOfRange(in, 1, in.length);
        long rest = 1;
        for (long d : out) rest *= d;
        INDArray rows = (x.ordering() == 'c' && !x.isView() ? x : x.dup('c')).reshape('c', new long[] {in[0], rest});
        return rows.getRow(index).dup('c').reshape('c', out);
    }

    /** The adjoint of {@code slice(x, index)}: {@code g} written into zeros shaped like {@code x} at {@code index}. */
    public static INDArray unslice(INDArray g, INDArray like, int index) {
        return unslice(g, Layout.of(like), index);
    }

    public static INDArray unslice(INDArray g, Layout like, int index) {
        long[] in = like.shape();
        long rest = like.length() / in[0];
        INDArray z = Nd4j.zeros(like.dataType(), new long[] {in[0], rest});
        z.getRow(index).assign(g.reshape('c', new long[] {rest}));
        return z.reshape('c', in);
    }

    public static INDArray reshapeLike(INDArray g, INDArray like) {
        return reshapeLike(g, Layout.of(like));
    }

    public static INDArray reshapeLike(INDArray g, Layout like) {
        return Arrays.equals(g.shape(), like.shape()) ? g : g.reshape(like.shape());
    }

    /** Broadcasts {@code x} to {@code shape} by NumPy's rules. */
    public static INDArray expand(INDArray x, String site, long... shape) {
        long[] target = broadcastShape(x.shape(), shape, "expand", site);
        if (!Arrays.equals(target, shape)) {
            throw new IllegalArgumentException(site + ": expand: cannot expand " + Arrays.toString(x.shape())
                    + " to " + Arrays.toString(shape));
        }
        return broadcastTo(x, shape);
    }

    /** {@code x} broadcast against {@code like}: the shape of {@code x op like}. */
    public static INDArray expandLike(INDArray x, INDArray like) {
        return expandLike(x, Layout.of(like));
    }

    public static INDArray expandLike(INDArray x, Layout like) {
        return broadcastTo(x, broadcastShape(x.shape(), like.shape(), "broadcast", "adjoint"));
    }

    private static INDArray broadcastTo(INDArray x, long[] shape) {
        if (Arrays.equals(x.shape(), shape)) return x;
        if (x.length() == 1) return Nd4j.valueArrayOf(shape, x.getDouble(0), x.dataType());
        return Nd4j.zeros(x.dataType(), shape).addi(x); // one op; ND4J's broadcast() costs one per row
    }

    /** An array of {@code like}'s shape and type, every element {@code value}. */
    public static INDArray filled(double value, INDArray like) {
        return filled(value, Layout.of(like));
    }

    public static INDArray filled(double value, Layout like) {
        return Nd4j.valueArrayOf(like.shape(), value, like.dataType());
    }

    /**
     * Zeros shaped like {@code like}. For no array (null: a local a branch or loop has not assigned
     * yet, such as the result of a loop that has not returned), no array: its adjoint reaches nothing.
     */
    public static INDArray zerosLike(INDArray like) {
        return like == null ? null : zerosLike(Layout.of(like));
    }

    public static INDArray zerosLike(Layout like) {
        return like == null ? null : Nd4j.zeros(like.dataType(), like.shape());
    }

    // ---- the reverse pass's shape computations ------------------------------------------------

    /** {@code g} summed over the axes along which {@code like} was broadcast to {@code g}'s shape. */
    public static INDArray sumTo(INDArray g, INDArray like) {
        return sumTo(g, Layout.of(like));
    }

    public static INDArray sumTo(INDArray g, Layout like) {
        long[] gs = g.shape();
        long[] ls = like.shape();
        if (Arrays.equals(gs, ls)) return g;
        if (g.length() == like.length()) return g.reshape(ls);
        int lead = gs.length - ls.length;
        int[] axes = new int[gs.length];
        int n = 0;
        for (int i = 0; i < gs.length; i++) {
            if (i < lead || (ls[i - lead] == 1 && gs[i] != 1)) axes[n++] = i;
        }
        INDArray summed = g.sum(true, Arrays.copyOf(axes, n));
        return summed.reshape(ls);
    }

    public static double sumToScalar(INDArray g) {
        return g.length() == 1 ? g.getDouble(0) : g.sumNumber().doubleValue();
    }

    /**
     * Undoes a reduction over {@code dims} (none: every axis, as for {@code sum()}): {@code g}
     * spread back over {@code like}'s shape.
     */
    public static INDArray unreduce(INDArray g, INDArray like, boolean keepDims, int... dims) {
        return unreduce(g, Layout.of(like), keepDims, dims);
    }

    public static INDArray unreduce(INDArray g, Layout like, boolean keepDims, int... dims) {
        long[] keptShape = like.shape().clone();
        int[] reduced = dims.length == 0 ? allAxes(like.rank()) : normalize(dims, like.shape(), "sum");
        for (int d : reduced) keptShape[d] = 1;
        INDArray kept = keepDims || Arrays.equals(g.shape(), keptShape) ? g : g.reshape(keptShape);
        return broadcastTo(kept, like.shape());
    }

    public static INDArray unreduce(double g, INDArray like, boolean keepDims, int... dims) {
        return filled(g, like);
    }

    public static INDArray unreduce(double g, Layout like, boolean keepDims, int... dims) {
        return filled(g, like);
    }

    // ---- softmax ------------------------------------------------------------------------------

    /**
     * Softmax along {@code dim} (negative counts from the end), of {@code x - max(x)}: ND4J's op
     * does not shift on every shape (on {@code [1, 1]} it gives NaN from 1e4, exp overflowing), and
     * on the shifted logits it cannot overflow. Three ops: max, the shift, ND4J's softmax.
     */
    public static INDArray softmax(INDArray x, int dim) {
        int d = normalize(new int[] {dim}, x.shape(), "softmax")[0];
        INDArray shifted = shiftedByMax(x, d);
        INDArray y = Nd4j.nn.softmax(shifted, d);
        if (!sharesBuffer(y, shifted)) release(shifted);
        return y;
    }

    /** {@code x - max(x)} along axis {@code d}, a fresh array (two ops): every slice's maximum is 0. */
    private static INDArray shiftedByMax(INDArray x, int d) {
        INDArray max = x.max(true, d);
        INDArray shifted = x.sub(max.reshape(keptShape(x, d)));
        if (!sharesBuffer(max, x)) release(max);
        return shifted;
    }

    /** The shape of {@code x} with axis {@code d} reduced to size 1. */
    private static long[] keptShape(INDArray x, int d) {
        long[] kept = x.shape().clone();
        kept[d] = 1;
        return kept;
    }

    /**
     * Log-softmax along {@code dim} (negative counts from the end), as {@code s - log Σ exp(s)}
     * with {@code s = x - max(x)}: finite wherever the logits are, however far apart. (ND4J's own
     * is {@code log(softmax(x))}, -∞ wherever a softmax element underflows, as in
     * {@code [0, 800]}; and it ignores its dim argument.) Four ops on every axis: max, the shift,
     * ND4J's log-sum-exp of {@code s} (each slice of {@code s} has maximum 0, so its sum of
     * exponentials lies in {@code [1, n]}, whatever shift the op applies inside), and the
     * subtraction, in place.
     */
    public static INDArray logSoftmax(INDArray x, int dim) {
        int d = normalize(new int[] {dim}, x.shape(), "logSoftmax")[0];
        INDArray shifted = shiftedByMax(x, d);
        long[] kept = keptShape(x, d);
        INDArray logSum = Nd4j.getExecutioner().exec(new LogSumExp(shifted, true, d))[0];
        shifted.subi(logSum.reshape(kept));
        if (!sharesBuffer(logSum, shifted)) release(logSum);
        return shifted;
    }

    // ---- results ------------------------------------------------------------------------------

    /**
     * Frees temporaries the generated code no longer reads, so that their off-heap memory is reused
     * at once instead of when the garbage collector finds them. Arrays attached to a workspace, or
     * otherwise not closeable, are left alone.
     */
    public static void release(INDArray... arrays) {
        for (INDArray x : arrays) {
            if (x != null && !x.wasClosed() && x.closeable()) x.close();
        }
    }

    /**
     * {@code x} itself, or a copy when it shares its buffer with any of {@code others} (an
     * argument, another result): results never alias what the caller holds.
     */
    public static INDArray distinct(INDArray x, INDArray... others) {
        for (INDArray o : others) {
            if (o != null && sharesBuffer(x, o)) return copy(x);
        }
        return x;
    }

    private static boolean sharesBuffer(INDArray a, INDArray b) {
        if (a == b) return true;
        if (a.isEmpty() || b.isEmpty()) return false;
        Object baseA = a.data().originalDataBuffer();
        Object baseB = b.data().originalDataBuffer();
        return (baseA != null && baseA == baseB)
                || a.data() == b.data()
                || a.data().address() == b.data().address();
    }

    /** A fresh copy; a plain memory copy when the layout allows, else ND4J's dup. */
    private static INDArray copy(INDArray x) {
        if (x.ordering() == 'c' && x.offset() == 0 && x.data().length() == x.length()
                && Arrays.equals(x.stride(), Nd4j.getStrides(x.shape(), 'c'))) {
            INDArray out = Nd4j.createUninitialized(x.dataType(), x.shape());
            Nd4j.getMemoryManager().memcpy(out.data(), x.data());
            return out;
        }
        return x.dup();
    }
}
