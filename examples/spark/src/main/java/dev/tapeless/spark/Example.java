package dev.tapeless.spark;

import dev.tapeless.examples.Digits;
import java.io.Serializable;

/**
 * One training example as Spark holds it: its index in the training set (which minibatches name),
 * its 64 pixels and its digit.
 */
public record Example(int index, double[] pixels, int label) implements Serializable {

    /** @throws IllegalArgumentException if the pixels are not 64 or the label is not a digit */
    public void check() {
        if (pixels == null || pixels.length != Digits.PIXELS) {
            throw new IllegalArgumentException("example " + index + " has " + (pixels == null ? "no" : pixels.length)
                    + " pixels; each has " + Digits.PIXELS);
        }
        if (label < 0 || label >= Digits.CLASSES) {
            throw new IllegalArgumentException("example " + index + " has label " + label + "; labels are 0 to "
                    + (Digits.CLASSES - 1));
        }
        if (index < 0) throw new IllegalArgumentException("example index " + index + " is negative");
    }
}
