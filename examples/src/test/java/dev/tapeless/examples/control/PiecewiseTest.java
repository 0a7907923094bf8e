package dev.tapeless.examples.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The piecewise examples: each piece checked three ways, against its closed-form derivative, and at the joints. */
class PiecewiseTest {

    /** B'(x): {@code -2x + 3x|x|/2} inside (-1, 1), {@code -sign(x) (2 - |x|)² / 2} out to 2, then 0. */
    private static double bsplineSlope(double x) {
        double a = Math.abs(x);
        if (a >= 2) return 0;
        if (a >= 1) return -Math.signum(x) * (2 - a) * (2 - a) / 2;
        return -2 * x + 1.5 * x * a;
    }

    @Test
    void bsplineOnEveryPiece() {
        Checked c = Checked.of(Piecewise.class, "bspline");
        for (double x : new double[] {-3, -1.7, -1.2, -0.6, -0.1, 0.3, 0.95, 1.05, 1.5, 1.99, 2.5, 1e100, -1e100}) {
            double[] g = c.at(x);
            assertEquals(bsplineSlope(x), g[1], 1e-15, "B'(" + x + ")");
        }
        // Near 0 the value is 2/3 to rounding, which finite differences cannot see past; the slope is -2x.
        for (double x : new double[] {1e-100, -3e-100}) {
            double[] g = c.atBoundary(x);
            assertEquals(-2 * x, g[1], 1e-15 * Math.abs(x));
        }
    }

    @Test
    void bsplineSlopeIsContinuousAtTheJoints() {
        Checked c = Checked.of(Piecewise.class, "bspline");
        for (double x : new double[] {-2, -1, 0, 1, 2}) {
            double[] g = c.atBoundary(x);
            assertEquals(bsplineSlope(x), g[1], 1e-15, "B'(" + x + "), the piece Java takes");
            // The same slope just inside the other piece: the spline is C¹ (C² in fact).
            double inside = Math.abs(x) >= 1 ? x - Math.signum(x) * 1e-9 : 1e-9;
            assertEquals(g[1], c.atBoundary(inside)[1], 1e-8, "B' on both sides of " + x);
        }
    }

    @Test
    void curveIsLinearInItsControlValues() {
        Checked c = Checked.of(Piecewise.class, "curve");
        double[][] controls = {{0.5, -1.0, 2.0, 0.25}, {1e100, -3e100, 2e100, 5e99}, {1e-100, 2e-100, -1e-100, 4e-100}};
        for (double[] k : controls) {
            for (double x : new double[] {-1.5, 0.4, 1.3, 2.2, 3.7, 5.5}) {
                double[] g = c.at(x, k[0], k[1], k[2], k[3]);
                for (int j = 0; j < 4; j++) {
                    assertEquals(Piecewise.bspline(x - j), g[2 + j], "d/dc" + j + " is the basis function B(x - " + j + ")");
                }
            }
        }
    }

    @Test
    void huberIsQuadraticInsideAndLinearOutside() {
        Checked c = Checked.of(Piecewise.class, "huber");
        for (double delta : new double[] {1, 1e50, 1e-50}) {
            for (double r : new double[] {0.3, -0.7, 2, -5}) {
                double residual = r * delta;
                double[] g = c.at(residual, delta);
                boolean inside = Math.abs(r) <= 1;
                assertEquals(inside ? residual : delta * Math.signum(r), g[1], 1e-15 * Math.abs(g[1]), "d/dr");
                assertEquals(inside ? 0 : Math.abs(residual) - delta, g[2], 1e-15 * Math.abs(g[2]), "d/ddelta");
            }
        }
        c.at(1e100, 1.0);
        c.at(-1e-100, 1.0);
        // At the joint |r| = delta the quadratic piece is taken; its slope, r, is the linear piece's.
        assertEquals(2.0, c.atBoundary(2.0, 2.0)[1]);
        assertEquals(-2.0, c.atBoundary(-2.0, 2.0)[1]);
    }

    @Test
    void taxDerivativeIsTheMarginalRate() {
        Checked c = Checked.of(Piecewise.class, "tax");
        double[][] incomeRate = {{5_000, 0}, {25_000, 0.2}, {100_000, 0.4}, {400_000, 0.45}, {1e100, 0.45}};
        for (double[] p : incomeRate) {
            double[] g = c.at(p[0], p[0] < 1e10 ? 10_000.0 : 1e99);
            assertEquals(p[1], g[1], 1e-15, "marginal rate at " + p[0]);
            assertEquals(-p[1], g[2], 1e-15, "d/dallowance at " + p[0]);
        }
        double[] tiny = c.at(3e-100, 1e-100);
        assertEquals(0.2, tiny[1], 1e-15);
        // On a bracket's upper edge the lower rate applies (taxable <= edge).
        assertEquals(0.2, c.atBoundary(40_000.0, 10_000.0)[1]);
        assertEquals(6_000.0, c.atBoundary(40_000.0, 10_000.0)[0]);
        assertEquals(0.4, c.atBoundary(150_000.0, 10_000.0)[1]);
        assertEquals(0.0, c.atBoundary(10_000.0, 10_000.0)[1]);
    }
}
