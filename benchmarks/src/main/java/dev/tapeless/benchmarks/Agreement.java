package dev.tapeless.benchmarks;

/** A benchmark compares like with like: the generated and hand-written gradients must agree first. */
final class Agreement {
    private Agreement() {}

    static void require(String what, double generated, double handWritten) {
        if (!(Math.abs(generated - handWritten) <= 1e-9 * Math.max(1, Math.abs(generated)))) {
            throw new IllegalStateException(what + ": generated " + generated + ", hand-written " + handWritten);
        }
    }
}
