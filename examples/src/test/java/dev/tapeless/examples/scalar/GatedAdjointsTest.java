package dev.tapeless.examples.scalar;

import static dev.tapeless.examples.scalar.ScalarCheck.assertClose;
import static dev.tapeless.examples.scalar.ScalarCheck.matchesFiniteDifferences;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The reverse pass computes the adjoint of an operand of {@code ?:}, {@code min} or {@code max}
 * only where that operand is taken ({@link GatedAdjoints}): derivatives as before on each side of
 * the condition, and exact zeros, not NaN, from an operand that is infinite where it is not taken.
 */
class GatedAdjointsTest {
    private static final double TOLERANCE = 1e-8;

    private static double[] branches(double... x) {
        var g = GatedAdjointsDerivatives.branchesGradient(x[0], x[1]);
        return new double[] {g.value(), g.x(), g.y()};
    }

    private static double[] nested(double... x) {
        var g = GatedAdjointsDerivatives.nestedGradient(x[0], x[1]);
        return new double[] {g.value(), g.x(), g.y()};
    }

    private static double[] minMax(double... x) {
        var g = GatedAdjointsDerivatives.minMaxGradient(x[0], x[1]);
        return new double[] {g.value(), g.x(), g.y()};
    }

    @Test
    void eachSideOfTheConditionHasItsOwnDerivative() {
        for (double[] p : new double[][] {{1.5, 0.5}, {0.7, 2.5}, {-1.2, 0.3}, {2, 3}}) {
            matchesFiniteDifferences("branches", x -> GatedAdjoints.branches(x[0], x[1]),
                    GatedAdjointsTest::branches, TOLERANCE, p);
        }
    }

    @Test
    void theGradientAndThePullbackAgreeOnEachSide() {
        for (double[] p : new double[][] {{1.5, 0.5}, {0.7, 2.5}, {0.3, -1}, {-0.5, 2}, {2, -3}}) {
            var g = GatedAdjointsDerivatives.nestedGradient(p[0], p[1]);
            var v = GatedAdjointsDerivatives.nestedVjp(p[0], p[1]).pullback(-2);
            assertEquals(g.value(), v.value());
            assertEquals(-2 * g.x(), v.x(), 1e-12 * Math.max(1, Math.abs(g.x())));
            assertEquals(-2 * g.y(), v.y(), 1e-12 * Math.max(1, Math.abs(g.y())));
        }
    }

    @Test
    void onTheBoundaryTheAdjointGoesToTheOperandJavaTakes() {
        // x == y: x > y is false, so the value is (log(y) / x) x + y, whose gradient is (0, 1/y + 1).
        double[] g = branches(2, 2);
        assertEquals(GatedAdjoints.branches(2, 2), g[0]);
        assertClose(0, g[1], 1e-15, "d/dx");
        assertClose(1.5, g[2], 1e-15, "d/dy");
        // At 0, x > 0 is false: the operand taken is x, the one not taken log(0) = -inf, with slope 1/0.
        var atZero = GatedAdjointsDerivatives.logWhenPositiveGradient(0);
        assertEquals(0.0, atZero.value());
        assertEquals(1.0, atZero.x());
        assertEquals(1.0, GatedAdjointsDerivatives.logWhenPositiveVjp(0).pullback(1).x());
    }

    @Test
    void anInfiniteOperandNotTakenLeavesTheGradientFinite() {
        // exp(1000 x²) overflows from x = 0.83: the gradient of x * x is 2x, as if it were not there.
        for (double x : new double[] {0.5, 0.9, 3}) {
            var g = GatedAdjointsDerivatives.overflowNotTakenGradient(x);
            assertEquals(x * x, g.value());
            assertEquals(2 * x, g.x(), 1e-15);
            assertEquals(6 * x, GatedAdjointsDerivatives.overflowNotTakenVjp(x).pullback(3).x(), 1e-15);
        }
        // Below 0.5 the derivative is that of exp(1000 x²): 2000 x exp(1000 x²).
        for (double x : new double[] {0.01, -0.02, 0.3}) {
            var g = GatedAdjointsDerivatives.overflowNotTakenGradient(x);
            assertClose(2000 * x * Math.exp(1000 * x * x), g.x(), 1e-14, "d/dx at " + x);
        }
    }

    @Test
    void nestedSelectionsDifferentiateTheOperandTakenInEveryQuadrant() {
        // Every point has a NaN operand not taken (the square root or logarithm of a negative number).
        for (double[] p : new double[][] {{1.5, 0.5}, {0.7, 2.5}, {0.3, -1}, {2, -3}, {-0.5, 2}, {-2, -0.4}}) {
            double[] g = nested(p);
            for (double d : g) assertEquals(false, Double.isNaN(d), "NaN at " + p[0] + ", " + p[1]);
            matchesFiniteDifferences("nested", x -> GatedAdjoints.nested(x[0], x[1]),
                    GatedAdjointsTest::nested, TOLERANCE, p);
        }
    }

    @Test
    void aSelectionInsideTheOperandNotTakenIsSkippedToo() {
        // x < 0: the outer operand taken is x y; the inner one, log(x) y², is NaN whichever y is.
        for (double y : new double[] {2, -3}) {
            var g = GatedAdjointsDerivatives.insideNotTakenGradient(-1, y);
            assertEquals(-y, g.value());
            assertEquals(y, g.x());
            assertEquals(-1.0, g.y());
        }
        for (double[] p : new double[][] {{0.5, 2}, {2, 0.7}, {1.5, -0.5}, {-1, 0.5}}) {
            matchesFiniteDifferences("insideNotTaken", x -> GatedAdjoints.insideNotTaken(x[0], x[1]), x -> {
                var g = GatedAdjointsDerivatives.insideNotTakenGradient(x[0], x[1]);
                return new double[] {g.value(), g.x(), g.y()};
            }, TOLERANCE, p);
        }
    }

    @Test
    void minAndMaxSkipTheOperandNotTaken() {
        // Away from ties; for x > 0.7 exp(1000 x) is infinite and min takes y².
        for (double[] p : new double[][] {{0.3, 0.5}, {-0.002, 0.9}, {-0.5, 0.1}, {0.9, 1.7}, {2, 0.5}, {1, -1.2}}) {
            matchesFiniteDifferences("minMax", x -> GatedAdjoints.minMax(x[0], x[1]),
                    GatedAdjointsTest::minMax, TOLERANCE, p);
        }
        // max takes sin(0.5) > 0.25 and min takes y: nothing depends on x but min(x, y), which takes y.
        double[] g = minMax(1, 0.5);
        assertEquals(0.0, g[1], "exactly zero: the infinite exp(1000) is not taken");
    }
}
