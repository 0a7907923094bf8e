package dev.tapeless.examples.arrays;

import static dev.tapeless.examples.arrays.ArrayCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SoftDtw}: a dynamic program in one array that each row overwrites, so the reverse pass
 * needs values the forward pass no longer holds.
 */
class SoftDtwTest {
    /** The checks of the method (a new one each time: its settings are its own). */
    private static ArrayCheck softDtw() {
        return ArrayCheck.of(SoftDtw.class, "softDtw", "x", "y", "gamma").wrt("x");
    }

    private static double[] series(Random rng, int n, double scale) {
        double[] s = new double[n];
        double level = 0;
        for (int i = 0; i < n; i++) s[i] = scale * (level += rng.nextGaussian());
        return s;
    }

    /** Dynamic time warping with the hard minimum, over the full grid. */
    private static double dtw(double[] x, double[] y) {
        double[][] r = new double[x.length + 1][y.length + 1];
        for (double[] row : r) java.util.Arrays.fill(row, Double.POSITIVE_INFINITY);
        r[0][0] = 0;
        for (int i = 1; i <= x.length; i++) {
            for (int j = 1; j <= y.length; j++) {
                double d = x[i - 1] - y[j - 1];
                r[i][j] = d * d + Math.min(r[i - 1][j - 1], Math.min(r[i - 1][j], r[i][j - 1]));
            }
        }
        return r[x.length][y.length];
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random rng = new Random(21);
        for (int[] lengths : new int[][] {{5, 7}, {6, 3}, {4, 4}, {1, 5}, {5, 1}}) {
            double[] x = series(rng, lengths[0], 1);
            double[] y = series(rng, lengths[1], 1);
            for (double gamma : new double[] {0.1, 1}) {
                softDtw().at(x, y, gamma);
            }
        }
    }

    @Test
    void shortSeries() {
        // One element each: (a - b)², the soft minimum of (0, ∞, ∞) being 0.
        Map<String, Object> g = softDtw().at(new double[] {1.5}, new double[] {-0.5}, 0.7);
        assertEquals(4.0, SoftDtwDerivatives.softDtw(new double[] {1.5}, new double[] {-0.5}, 0.7));
        assertEquals(4.0, ((double[]) g.get("x"))[0]);
        // Both empty: r(0, 0) = 0.
        assertEquals(0.0, SoftDtwDerivatives.softDtw(new double[0], new double[0], 0.7));
        softDtw().at(new double[0], new double[0], 0.7);
        // x empty against a non-empty y: no alignment, infinitely far, and no partials.
        assertEquals(Double.POSITIVE_INFINITY, SoftDtwDerivatives.softDtw(new double[0], new double[] {1, 2}, 0.7));
        softDtw().at(new double[0], new double[] {1, 2}, 0.7);
    }

    @Test
    void smallGammaApproachesDynamicTimeWarping() {
        Random rng = new Random(22);
        double[] x = series(rng, 8, 1);
        double[] y = series(rng, 6, 1);
        double hard = dtw(x, y);
        for (double gamma : new double[] {1, 0.1, 0.01}) {
            double soft = SoftDtwDerivatives.softDtw(x, y, gamma);
            // Each soft minimum is at most the minimum and at least the minimum - γ log 3; a
            // path crosses at most x.length + y.length cells.
            assertTrue(soft <= hard, "soft " + soft + " <= " + hard);
            assertTrue(soft >= hard - gamma * Math.log(3) * (x.length + y.length), "soft " + soft + " near " + hard);
        }
    }

    @Test
    void scalingTheSeriesScalesTheDistance() {
        // softDtw(c x, c y, c² γ) = c² softDtw(x, y, γ), and the gradient in x scales by c.
        Random rng = new Random(23);
        double[] x = series(rng, 5, 1);
        double[] y = series(rng, 6, 1);
        double gamma = 0.5;
        var at = SoftDtwDerivatives.softDtwGradient(x, y, gamma);
        for (double c : new double[] {1e100, 1e-100}) {
            double[] cx = x.clone();
            double[] cy = y.clone();
            for (int i = 0; i < cx.length; i++) cx[i] *= c;
            for (int i = 0; i < cy.length; i++) cy[i] *= c;
            Map<String, Object> g = softDtw().stepFloor(c).at(cx, cy, c * c * gamma);
            assertClose(c * c * at.value(), SoftDtwDerivatives.softDtw(cx, cy, c * c * gamma), 1e-12, 0, "value at scale " + c);
            double[] scaled = (double[]) g.get("x");
            for (int i = 0; i < x.length; i++) {
                assertClose(c * at.x()[i], scaled[i], 1e-12, 1e-3 * c, "partial " + i + " at scale " + c);
            }
        }
    }

    @Test
    void gradientDescentPullsASeriesOntoAnother() {
        Random rng = new Random(24);
        double[] y = series(rng, 10, 1);
        double[] x = new double[8];
        double before = SoftDtwDerivatives.softDtw(x, y, 0.1);
        for (int step = 0; step < 200; step++) {
            double[] g = SoftDtwDerivatives.softDtwGradient(x, y, 0.1).x();
            for (int i = 0; i < x.length; i++) x[i] -= 0.05 * g[i];
        }
        double after = SoftDtwDerivatives.softDtw(x, y, 0.1);
        assertTrue(after < 0.05 * before, "from " + before + " to " + after);
    }
}
