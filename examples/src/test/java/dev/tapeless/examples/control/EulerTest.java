package dev.tapeless.examples.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Euler-integrated oscillator: its gradient three ways, and a fit that recovers known parameters. */
class EulerTest {
    private static final double K = 4;
    private static final double C = 0.5;
    private static final double Y0 = 1;

    @Test
    void positionAfterZeroOneAndManySteps() {
        Checked c = Checked.of(Euler.class, "position");
        for (int steps : new int[] {0, 1, 2, 250}) {
            c.at(K, C, Y0, steps);
            c.at(9.0, 0.1, -2.0, steps);
        }
        // Linear in y0, so any scale works.
        c.at(K, C, 1e100, 250);
        c.at(K, C, -1e-100, 250);
        double[] none = c.at(K, C, Y0, 0);
        assertEquals(1.0, none[3], "no step: y = y0");
        assertEquals(0.0, none[1]);
    }

    @Test
    void lossComparesThePositionsAtTheObservationTimes() {
        double[] o = {0.3, -0.2, 0.1, 0.05, -0.1};
        double expected = 0;
        for (int i = 0; i < 5; i++) {
            double r = Euler.position(K, C, Y0, (i + 1) * Euler.STEPS_PER_OBSERVATION) - o[i];
            expected += r * r;
        }
        assertEquals(expected, Euler.loss(K, C, Y0, o[0], o[1], o[2], o[3], o[4]), "the source itself");
        assertEquals(expected, EulerDerivatives.loss(K, C, Y0, o[0], o[1], o[2], o[3], o[4]));
    }

    @Test
    void lossGradientThreeWays() {
        Checked c = Checked.of(Euler.class, "loss").wrt(0, 1, 2);
        double[] o = Euler.observations(K, C, Y0);
        c.at(3.0, 0.8, 0.7, o[0], o[1], o[2], o[3], o[4]);
        c.at(5.0, 0.2, 1.3, o[0], o[1], o[2], o[3], o[4]);
        c.at(K, C, Y0, 0.3, -0.2, 0.1, 0.05, -0.1);
        double[] big = Euler.observations(K, C, 1e100);
        c.at(3.0, 0.8, 7e99, big[0], big[1], big[2], big[3], big[4]);
        double[] tiny = Euler.observations(K, C, 1e-100);
        c.at(3.0, 0.8, 7e-101, tiny[0], tiny[1], tiny[2], tiny[3], tiny[4]);
    }

    @Test
    void atTheTrueParametersLossAndGradientAreExactlyZero() {
        double[] o = Euler.observations(K, C, Y0);
        var g = EulerDerivatives.lossGradient(K, C, Y0, o[0], o[1], o[2], o[3], o[4]);
        assertEquals(0.0, g.value());
        assertEquals(0.0, g.stiffness());
        assertEquals(0.0, g.damping());
        assertEquals(0.0, g.y0());
    }

    @Test
    void gradientDescentRecoversTheParameters() {
        double[] o = Euler.observations(K, C, Y0);
        Euler.Fit fit = Euler.fit(o, 3.0, 0.8, 0.7, 1e-26, 20_000);
        System.out.println("Euler fit: " + fit);
        assertTrue(fit.loss() <= 1e-26, "loss " + fit.loss() + " after " + fit.iterations() + " steps");
        assertEquals(K, fit.stiffness(), 1e-9, fit.toString());
        assertEquals(C, fit.damping(), 1e-9, fit.toString());
        assertEquals(Y0, fit.y0(), 1e-9, fit.toString());
    }
}
