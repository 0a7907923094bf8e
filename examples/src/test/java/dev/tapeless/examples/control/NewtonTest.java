package dev.tapeless.examples.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Roots by Newton's iteration: the value against {@code Math.sqrt} and {@code Math.cbrt}, and the
 * derivative of the iteration against the root's analytic derivative, over the whole range of
 * doubles, and three ways at a few points.
 */
class NewtonTest {

    @Test
    void sqrtThreeWaysAtEveryScale() {
        Checked c = Checked.of(Newton.class, "sqrt");
        for (double a : new double[] {2, 0.3, 4, 0.25, 17.5, 1e100, 1e-100, 3e300, 1e-300}) {
            double[] g = c.at(a);
            assertEquals(0.5 / Math.sqrt(a), g[1], 1e-15 * g[1], "1 / (2 sqrt a) at " + a);
        }
    }

    @Test
    void sqrtAndItsDerivativeOverTheWholeRange() {
        Random rng = new Random(5);
        for (int i = 0; i < 500; i++) {
            double a = Math.pow(10, -307 + 614 * rng.nextDouble()) * (1 + rng.nextDouble());
            var g = NewtonDerivatives.sqrtGradient(a);
            double root = Math.sqrt(a);
            assertTrue(Math.abs(g.value() - root) <= Math.ulp(root), "sqrt " + a + ": " + g.value() + " vs " + root);
            assertEquals(0.5 / root, g.a(), 2e-16 * 0.5 / root * 8, "d/da at " + a);
        }
        // The extremes: the largest double, and the smallest subnormal (1075 range-reduction trips).
        for (double a : new double[] {Double.MAX_VALUE, Double.MIN_VALUE, Double.MIN_NORMAL}) {
            var g = NewtonDerivatives.sqrtGradient(a);
            assertEquals(Newton.sqrt(a), g.value());
            assertEquals(Math.sqrt(a), g.value(), Math.ulp(Math.sqrt(a)));
            assertEquals(0.5 / Math.sqrt(a), g.a(), 1e-14 * g.a(), "d/da at " + a);
        }
        var zero = Checked.of(Newton.class, "sqrt").atBoundary(0.0);
        assertEquals(0.0, zero[0]);
        assertEquals(0.0, zero[1], "the early return at 0: a constant");
    }

    @Test
    void sqrtWithADataDependentStoppingRule() {
        Checked c = Checked.of(Newton.class, "sqrtUntilConverged").wrt(0);
        for (double a : new double[] {2, 0.3, 1e100, 1e-100, 12345.678}) {
            double[] g = c.at(a, 1e-15, 10_000);
            assertEquals(Math.sqrt(a), g[0], 2 * Math.ulp(Math.sqrt(a)), "converged at " + a);
            assertEquals(0.5 / Math.sqrt(a), g[1], 1e-13 * g[1], "1 / (2 sqrt a) at " + a);
        }
        // The step cap stops it first: one step from y = a is (a + 1) / 2, whose slope is 1/2.
        double[] one = c.at(9.0, 1e-15, 1);
        assertEquals(5.0, one[0]);
        assertEquals(0.5, one[1]);
        // A few steps, not converged: still the derivative of what was computed.
        c.at(9.0, 1e-15, 3);
        c.at(1e6, 1e-15, 5);
        // A loose tolerance stops early, at a value and slope near the root's.
        double[] loose = c.at(2.0, 1e-3, 10_000);
        assertEquals(Math.sqrt(2), loose[0], 1e-5);
        assertEquals(0.5 / Math.sqrt(2), loose[1], 1e-4);
    }

    @Test
    void cbrtThreeWaysAndAgainstItsAnalyticDerivative() {
        Checked c = Checked.of(Newton.class, "cbrt");
        for (double a : new double[] {27, -8.5, 1e-3, 1, 7.99, 8, 1e100, -1e-100, 1e300, -5e-300}) {
            double[] g = c.at(a);
            double root = Math.cbrt(a);
            assertEquals(root, g[0], 2 * Math.ulp(root), "cbrt " + a);
            assertEquals(1 / (3 * root * root), g[1], 1e-14 * g[1], "1 / (3 cbrt(a)²) at " + a);
        }
        assertEquals(0.0, c.atBoundary(0.0)[1]);
    }
}
