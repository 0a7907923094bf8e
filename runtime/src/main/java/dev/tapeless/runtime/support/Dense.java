package dev.tapeless.runtime.support;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Fused loops over ND4J's memory, for generated code: a companion whose whole pass is elementwise
 * arithmetic and full reductions runs it as Java loops over the arrays' elements, read and written
 * through JavaCPP's indexers, when {@link #fits} says the arrays allow it; otherwise it takes its
 * ND4J path. Not part of the API users call.
 *
 * <p>Arrays fit when they have one shape and the data type DOUBLE, are row-major and
 * contiguous and start their buffer (a view at an offset does not fit), and live in host memory (ND4J's
 * CPU backend: on CUDA they live on the device, so CUDA keeps the ND4J path). Setting the system
 * property {@code tapeless.fused=false} sends every call down the ND4J path (to compare the two, or
 * to count ND4J ops). FLOAT arrays keep the ND4J path: ND4J rounds every FLOAT op to float (and
 * computes exp, log and the like in float), which is what FLOAT results mean here.
 */
public final class Dense {
    private Dense() {}

    private static final boolean ENABLED = !"false".equals(System.getProperty("tapeless.fused")) && hostMemory();

    private static boolean hostMemory() {
        try {
            return Nd4j.getBackend().getClass().getName().toLowerCase(java.util.Locale.ROOT).contains("cpu");
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Set while {@link #withoutFusedLoops} runs a call on this thread. */
    private static final ThreadLocal<Boolean> OFF = ThreadLocal.withInitial(() -> false);

    /** Whether fused loops run at all in this JVM (CPU backend, not turned off). */
    public static boolean enabled() {
        return ENABLED;
    }

    /**
     * Runs {@code call} with every generated entry point on this thread taking its ND4J path: to
     * compare the two paths, or to count the ND4J ops of the path arguments that do not fit take.
     */
    public static <T> T withoutFusedLoops(java.util.function.Supplier<T> call) {
        boolean before = OFF.get();
        OFF.set(true);
        try {
            return call.get();
        } finally {
            OFF.set(before);
        }
    }

    /** Whether fused loops run for this call: in this JVM, and not turned off on this thread. */
    private static boolean on() {
        return ENABLED && !OFF.get();
    }

    /** Whether fused loops can read and write these arrays: see the class comment. */
    public static boolean fits(INDArray first, INDArray... others) {
        if (!on() || !flat(first)) return false;
        DataType type = first.dataType();
        long[] shape = first.shape();
        for (INDArray x : others) {
            if (x == null || x.dataType() != type || !flat(x) || !Arrays.equals(shape, x.shape())) return false;
        }
        return true;
    }

    private static boolean flat(INDArray x) {
        if (x == null || x.isEmpty()) return false;
        if (x.dataType() != DataType.DOUBLE) return false; // FLOAT: see the class comment
        // A view that starts inside its buffer takes the ND4J path: its buffer may be its own (indexed
        // from the view's first element) or the whole one (indexed from the buffer's), so its offset
        // cannot be trusted to mean one thing.
        if (x.offset() != 0 || x.data().length() < x.length()) return false;
        if (x.length() == 1) return true;
        return x.ordering() == 'c' && x.elementWiseStride() == 1;
    }

    /** Whether {@code target} (from an earlier result) can take new elements shaped like {@code like}. */
    public static boolean fitsLike(INDArray target, INDArray like) {
        return on() && flat(target) && target.dataType() == like.dataType() && Arrays.equals(target.shape(), like.shape());
    }

    /** Whether {@code target} (an earlier result's value) can take a new rank-0 value of {@code like}'s data type. */
    public static boolean fitsScalar(INDArray target, INDArray like) {
        return on() && flat(target) && target.rank() == 0 && target.dataType() == like.dataType();
    }

    /** Whether {@code target} has the shape and data type of {@code like} (an ND4J copy can fill it). */
    public static boolean sameLayout(INDArray target, INDArray like) {
        return target != null && target.dataType() == like.dataType() && Arrays.equals(target.shape(), like.shape());
    }

    /** Whether every array is there and no two share memory (written in place, each must be its own). */
    public static boolean distinct(INDArray... arrays) {
        for (INDArray a : arrays) if (a == null) return false;
        for (int i = 0; i < arrays.length; i++) {
            for (int j = 0; j < i; j++) {
                if (sharesMemory(arrays[i], arrays[j])) return false;
            }
        }
        return true;
    }

    /**
     * Refuses an earlier result whose array is (or shares memory with) an argument: writing the
     * new result into it would change the argument while it is read.
     */
    public static void requireOwn(String method, INDArray[] components, String[] componentNames, INDArray[] arguments,
            String[] argumentNames) {
        for (int i = 0; i < components.length; i++) {
            INDArray c = components[i];
            if (c == null) continue;
            for (int j = 0; j < arguments.length; j++) {
                INDArray a = arguments[j];
                if (a != null && sharesMemory(c, a)) {
                    throw new IllegalArgumentException(method + ": previous." + componentNames[i] + "() is the argument '"
                            + argumentNames[j] + "' (or shares its memory); the new result would overwrite it while it is read: "
                            + "pass a result of " + method + ", or null");
                }
            }
        }
    }

    /** Whether two arrays are one, or views of one buffer (conservative: any two views of a buffer). */
    static boolean sharesMemory(INDArray a, INDArray b) {
        if (a == b || a.data() == b.data() || a.data().sameUnderlyingData(b.data())) return true;
        return base(a.data()).address() == base(b.data()).address();
    }

    private static org.nd4j.linalg.api.buffer.DataBuffer base(org.nd4j.linalg.api.buffer.DataBuffer d) {
        org.nd4j.linalg.api.buffer.DataBuffer u = d.underlyingDataBuffer();
        return u != null ? u : d;
    }

    /** A new array shaped and typed like {@code like}, row-major, its elements not yet written. */
    public static INDArray like(INDArray like) {
        return Nd4j.createUninitialized(like.dataType(), like.shape(), 'c');
    }

    /** A rank-0 array holding {@code value}, of {@code like}'s data type. */
    public static INDArray scalar(INDArray like, double value) {
        return Nd4j.scalar(like.dataType(), value);
    }

    /** The elements of {@code x}, in row-major order: {@code x} must {@link #fits fit}. */
    public static Elements of(INDArray x) {
        return new Elements((DoubleIndexer) x.data().indexer());
    }

    /** The elements of a DOUBLE array: element {@code i} in row-major order. */
    public static final class Elements {
        private final DoubleIndexer data;

        private Elements(DoubleIndexer data) {
            this.data = data;
        }

        public double get(long i) {
            return data.get(i);
        }

        public void set(long i, double value) {
            data.put(i, value);
        }
    }
}
