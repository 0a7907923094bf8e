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
 * contiguous (a view counts if its elements are one run of memory), and live in host memory (ND4J's
 * CPU backend: on CUDA they live on the device, so CUDA keeps the ND4J path). Setting the system
 * property {@code tapeless.fused=false} sends every call down the ND4J path (to compare the two, or
 * to count ND4J ops).
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

    /** Whether fused loops can read and write these arrays: see the class comment. */
    public static boolean fits(INDArray first, INDArray... others) {
        if (!ENABLED || OFF.get() || !flat(first)) return false;
        DataType type = first.dataType();
        long[] shape = first.shape();
        for (INDArray x : others) {
            if (x == null || x.dataType() != type || !flat(x) || !Arrays.equals(shape, x.shape())) return false;
        }
        return true;
    }

    private static boolean flat(INDArray x) {
        if (x == null || x.isEmpty()) return false;
        // FLOAT keeps ND4J's path for now: ND4J rounds every op to float, which loops in double do not.
        if (x.dataType() != DataType.DOUBLE) return false;
        if (x.length() == 1) return true;
        return x.ordering() == 'c' && x.elementWiseStride() == 1;
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
        return new Elements((DoubleIndexer) x.data().indexer(), x.offset());
    }

    /** The elements of a DOUBLE array: element {@code i} in row-major order. */
    public static final class Elements {
        private final DoubleIndexer data;
        private final long offset;

        private Elements(DoubleIndexer data, long offset) {
            this.data = data;
            this.offset = offset;
        }

        public double get(long i) {
            return data.get(offset + i);
        }

        public void set(long i, double value) {
            data.put(offset + i, value);
        }
    }
}
