package dev.tapeless.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The UCI optical handwritten digits (1797 images of 8×8 pixels, values 0 to 16, labels 0 to 9;
 * see {@code digits.rst} next to the data), as arrays ready for training.
 *
 * @param images one image per row, pixels scaled to {@code [0, 1]}: {@code [n, 64]}
 * @param labels the digit of each image
 */
public record Digits(INDArray images, int[] labels) {

    public static final int PIXELS = 64;
    public static final int CLASSES = 10;
    private static final String RESOURCE = "/digits.csv.gz";

    /** Reads the data set from the classpath ({@code digits.csv.gz}: 64 pixels, then the label). */
    public static Digits load() {
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (InputStream in = Digits.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is not on the classpath");
            BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) continue;
                String[] cells = line.split(",");
                if (cells.length != PIXELS + 1) {
                    throw new IllegalStateException(RESOURCE + ": a row has " + cells.length + " values, not " + (PIXELS + 1));
                }
                double[] pixels = new double[PIXELS];
                for (int i = 0; i < PIXELS; i++) pixels[i] = Integer.parseInt(cells[i].trim()) / 16.0;
                rows.add(pixels);
                labels.add(Integer.parseInt(cells[PIXELS].trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Digits(Nd4j.createFromArray(rows.toArray(new double[0][])).castTo(DataType.DOUBLE),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    public int size() {
        return labels.length;
    }

    /** The images and labels at {@code indices}, in that order. */
    public Digits select(int[] indices) {
        int[] picked = new int[indices.length];
        for (int i = 0; i < indices.length; i++) picked[i] = labels[indices[i]];
        return new Digits(Nd4j.pullRows(images, 1, indices), picked);
    }

    /** Labels as one-hot rows: {@code [n, 10]}. */
    public INDArray oneHot() {
        INDArray out = Nd4j.zeros(DataType.DOUBLE, labels.length, CLASSES);
        for (int i = 0; i < labels.length; i++) out.putScalar(i, labels[i], 1.0);
        return out;
    }

    /** A training set and a held-out set. */
    public record Split(Digits training, Digits heldOut) {}

    /** Shuffles with {@code rng} and holds out {@code fraction} of the images. */
    public Split split(double fraction, Random rng) {
        int[] order = permutation(size(), rng);
        int held = (int) Math.round(size() * fraction);
        int[] train = java.util.Arrays.copyOfRange(order, held, order.length);
        int[] test = java.util.Arrays.copyOfRange(order, 0, held);
        return new Split(select(train), select(test));
    }

    /** {@code 0 .. n-1} in a random order (Fisher–Yates). */
    public static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
