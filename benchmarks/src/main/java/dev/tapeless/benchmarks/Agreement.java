package dev.tapeless.benchmarks;

/** A benchmark compares like with like: the generated and hand-written gradients must agree first. */
final class Agreement {
    private Agreement() {}

    /** Arrays agree elementwise to 1e-9 relative (and in shape). */
    static void require(String what, org.nd4j.linalg.api.ndarray.INDArray generated,
            org.nd4j.linalg.api.ndarray.INDArray other) {
        if (!java.util.Arrays.equals(generated.shape(), other.shape())) {
            throw new IllegalStateException(what + ": shapes " + java.util.Arrays.toString(generated.shape())
                    + " and " + java.util.Arrays.toString(other.shape()));
        }
        for (long i = 0; i < generated.length(); i++) require(what + "[" + i + "]", generated.getDouble(i), other.getDouble(i));
    }

    /** Arrays of doubles agree elementwise to 1e-9 relative (and in length). */
    static void require(String what, double[] generated, double[] handWritten) {
        if (generated.length != handWritten.length) {
            throw new IllegalStateException(what + ": lengths " + generated.length + " and " + handWritten.length);
        }
        for (int i = 0; i < generated.length; i++) require(what + "[" + i + "]", generated[i], handWritten[i]);
    }

    static void require(String what, double generated, double handWritten) {
        if (!(Math.abs(generated - handWritten) <= 1e-9 * Math.max(1, Math.abs(generated)))) {
            throw new IllegalStateException(what + ": generated " + generated + ", hand-written " + handWritten);
        }
    }
}
