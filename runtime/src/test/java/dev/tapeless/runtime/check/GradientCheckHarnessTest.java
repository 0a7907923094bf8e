package dev.tapeless.runtime.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.support.Dense;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The comparison harness: it passes a right gradient and catches a wrong one, in every column. */
class GradientCheckHarnessTest {
    private static final INDArray A = Nd4j.linspace(-1, 1, 12, DataType.DOUBLE).reshape(3, 4);
    private static final INDArray B = Nd4j.linspace(0.5, 2, 4, DataType.DOUBLE);

    /** f(a, b) = sum(a * b * b), broadcasting b over the rows of a. */
    private static Variable f(List<Variable> v) {
        return v.get(0).mul(v.get(1)).mul(v.get(1)).sum();
    }

    /** The right gradient, by hand: d/da = b², d/db = 2 b Σ_rows a. */
    private static List<INDArray> byHand(List<INDArray> x, double errorInB) {
        INDArray a = x.get(0);
        INDArray b = x.get(1);
        INDArray value = a.mulRowVector(b.mul(b)).sum();
        INDArray da = Nd4j.zeros(DataType.DOUBLE, 3, 4).addRowVector(b.mul(b));
        INDArray db = b.mul(2).mul(a.sum(0));
        db.putScalar(0, db.getDouble(0) + errorInB);
        return List.of(value, da, db);
    }

    @Test
    void aRightGradientAgreesWithTapeAndFiniteDifferences() {
        GradientCheck.Report r = GradientCheck.of(GradientCheckHarnessTest::f, x -> byHand(x, 0), List.of("a", "b"),
                List.of(A, B));
        r.assertWithin(1e-7);
        assertEquals(List.of("a", "b"), r.rows().stream().map(GradientCheck.Row::parameter).toList());
    }

    @Test
    void aWrongComponentShowsInItsRowAgainstBothReferences() {
        GradientCheck.Report r = GradientCheck.of(GradientCheckHarnessTest::f, x -> byHand(x, 1e-3), List.of("a", "b"),
                List.of(A, B));
        GradientCheck.Row b = r.rows().get(1);
        assertTrue(b.vsTape() > 1e-4 && b.vsFiniteDifferences() > 1e-4, r.toString());
        assertTrue(r.rows().get(0).vsTape() < 1e-12, r.toString());
        AssertionError e = assertThrows(AssertionError.class, () -> r.assertWithin(1e-6));
        assertTrue(e.getMessage().contains("vs fin. diff."), e.getMessage());
    }

    @Test
    void aGradientWrongOnlyOnTheNd4jPathFails() {
        // Dense.fits is false while the check forces the ND4J path: this gradient is wrong only there
        Function<List<INDArray>, List<INDArray>> wrongOnNd4jPath = x -> byHand(x, Dense.fits(x.get(1)) ? 0 : 1e-3);
        GradientCheck.Report r = GradientCheck.of(GradientCheckHarnessTest::f, wrongOnNd4jPath, List.of("a", "b"),
                List.of(A, B));
        assertTrue(r.rows().get(1).vsTape() > 1e-4, r.toString());
        assertThrows(AssertionError.class, () -> r.assertWithin(1e-6));
    }

    @Test
    void sampledFiniteDifferencesStillCatchAnErrorAtASampledCoordinate() {
        Function<List<INDArray>, List<INDArray>> wrong = x -> byHand(x, 1e-3);
        GradientCheck.Report r = GradientCheck.of(GradientCheckHarnessTest::f, wrong, List.of("a", "b"),
                List.of(A, B), 1e-6, 2);
        assertTrue(r.rows().get(1).vsFiniteDifferences() > 1e-4, r.toString()); // element 0 is always sampled
        assertTrue(r.rows().get(0).vsFiniteDifferences() < 1e-7, r.toString());
    }

    /**
     * With 4 samples of the 12 elements of {@code a} (elements 0, 3, 6 and 9), finite differences
     * must be taken, and the generated gradient read, at each sampled element: a gradient wrong
     * only at element 6 is caught, and a right one passes (d/da = b² differs at each sampled element).
     */
    @Test
    void sampledFiniteDifferencesReadEverySampledCoordinate() {
        Function<List<INDArray>, List<INDArray>> wrongAtSix = x -> {
            List<INDArray> g = byHand(x, 0);
            g.get(1).putScalar(6, g.get(1).getDouble(6L) + 1e-3);
            return g;
        };
        GradientCheck.Report wrong = GradientCheck.of(GradientCheckHarnessTest::f, wrongAtSix, List.of("a", "b"),
                List.of(A, B), 1e-6, 4);
        assertTrue(wrong.rows().get(0).vsFiniteDifferences() > 1e-4, wrong.toString());

        GradientCheck.Report right = GradientCheck.of(GradientCheckHarnessTest::f, x -> byHand(x, 0),
                List.of("a", "b"), List.of(A, B), 1e-6, 4);
        assertTrue(right.rows().get(0).vsFiniteDifferences() < 1e-7, right.toString());
        assertTrue(right.rows().get(1).vsFiniteDifferences() < 1e-7, right.toString());
    }

    @Test
    void generatedCodeThatWritesIntoItsArgumentIsCaught() {
        assertThrows(AssertionError.class, () -> GradientCheck.of(GradientCheckHarnessTest::f, x -> {
            x.get(0).addi(1);
            return byHand(x, 0);
        }, List.of("a", "b"), List.of(A, B)));
    }

    @Test
    void aWriteTooSmallForINDArrayEqualsIsCaughtToo() {
        assertThrows(AssertionError.class, () -> GradientCheck.of(GradientCheckHarnessTest::f, x -> {
            x.get(0).putScalar(5, x.get(0).getDouble(5L) + 1e-9);
            return byHand(x, 0);
        }, List.of("a", "b"), List.of(A, B)));
    }
}
