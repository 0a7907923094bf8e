package dev.tapeless.spark;

import dev.tapeless.examples.Digits;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The examples one partition holds, as plain arrays (what Spark caches and ships cheaply): their
 * indices in the training set, ascending, their pixels row after row, and their labels.
 */
public final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] indices;
    private final double[] pixels;
    private final int[] labels;

    private Shard(int[] indices, double[] pixels, int[] labels) {
        this.indices = indices;
        this.pixels = pixels;
        this.labels = labels;
    }

    /**
     * The shard of one partition's examples, checked: {@link Digits#PIXELS} pixels each, a label
     * from 0 to {@link Digits#CLASSES} - 1, each index once. A partition may be empty.
     *
     * @throws IllegalArgumentException naming the example at fault
     */
    public static Shard of(Iterator<Example> examples) {
        java.util.List<Example> all = new java.util.ArrayList<>();
        examples.forEachRemaining(all::add);
        all.sort((a, b) -> Integer.compare(a.index(), b.index()));
        int[] indices = new int[all.size()];
        double[] pixels = new double[all.size() * Digits.PIXELS];
        int[] labels = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            Example e = all.get(i);
            e.check();
            if (i > 0 && indices[i - 1] == e.index()) {
                throw new IllegalArgumentException("example " + e.index() + " appears twice; give each example its own index");
            }
            indices[i] = e.index();
            System.arraycopy(e.pixels(), 0, pixels, i * Digits.PIXELS, Digits.PIXELS);
            labels[i] = e.label();
        }
        return new Shard(indices, pixels, labels);
    }

    public int size() {
        return indices.length;
    }

    /**
     * The examples of this shard that {@code batch} (ascending indices) names: their images
     * {@code [m, 64]} and one-hot labels {@code [m, 10]}, or null when there are none.
     */
    Batch select(int[] batch) {
        int m = 0;
        int[] rows = new int[Math.min(batch.length, indices.length)];
        for (int i = 0; i < indices.length; i++) {
            if (Arrays.binarySearch(batch, indices[i]) >= 0) rows[m++] = i;
        }
        if (m == 0) return null;
        double[] x = new double[m * Digits.PIXELS];
        double[] y = new double[m * Digits.CLASSES];
        for (int r = 0; r < m; r++) {
            System.arraycopy(pixels, rows[r] * Digits.PIXELS, x, r * Digits.PIXELS, Digits.PIXELS);
            y[r * Digits.CLASSES + labels[rows[r]]] = 1.0;
        }
        return new Batch(Nd4j.create(x, new long[] {m, Digits.PIXELS}, DataType.DOUBLE),
                Nd4j.create(y, new long[] {m, Digits.CLASSES}, DataType.DOUBLE), m);
    }

    /** A share of a minibatch: images, one-hot labels, and how many examples. */
    record Batch(INDArray images, INDArray labels, int size) {}
}
