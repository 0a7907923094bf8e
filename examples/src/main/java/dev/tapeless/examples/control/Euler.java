package dev.tapeless.examples.control;

import dev.tapeless.Differentiable;

/**
 * A damped oscillator {@code y'' = -k y - c y'}, released from rest at {@code y0}, integrated by
 * explicit Euler steps in a loop, and fitted to five observed positions by gradient descent with
 * the generated gradient: the derivative of the whole integration, 250 steps of it, with respect
 * to the stiffness {@code k}, the damping {@code c} and the starting point {@code y0}.
 */
public final class Euler {
    private Euler() {}

    /** The time step. */
    static final double DT = 0.01;
    /** Steps between two observations: one every half second. */
    static final int STEPS_PER_OBSERVATION = 50;
    /** Five observations, at t = 0.5, 1, 1.5, 2 and 2.5. */
    static final int STEPS = 5 * STEPS_PER_OBSERVATION;

    /** The position after {@code steps} Euler steps of {@link #DT} from {@code y0} at rest. */
    @Differentiable
    public static double position(double stiffness, double damping, double y0, int steps) {
        double y = y0;
        double v = 0;
        for (int step = 0; step < steps; step++) {
            double a = -stiffness * y - damping * v;
            y += DT * v;
            v += DT * a;
        }
        return y;
    }

    /**
     * The squared distance between the simulated positions at t = 0.5, 1, 1.5, 2, 2.5 and the
     * observed ones {@code observed1..5}: one integration, the positions compared as the loop passes
     * each observation time. The observations are data ({@code wrt} leaves them out).
     */
    @Differentiable(wrt = {"stiffness", "damping", "y0"})
    public static double loss(double stiffness, double damping, double y0, double observed1, double observed2,
            double observed3, double observed4, double observed5) {
        double y = y0;
        double v = 0;
        double loss = 0;
        for (int step = 1; step <= STEPS; step++) {
            double a = -stiffness * y - damping * v;
            y += DT * v;
            v += DT * a;
            if (step % STEPS_PER_OBSERVATION != 0) {
                continue;
            }
            double observed;
            if (step == STEPS_PER_OBSERVATION) {
                observed = observed1;
            } else if (step == 2 * STEPS_PER_OBSERVATION) {
                observed = observed2;
            } else if (step == 3 * STEPS_PER_OBSERVATION) {
                observed = observed3;
            } else if (step == 4 * STEPS_PER_OBSERVATION) {
                observed = observed4;
            } else {
                observed = observed5;
            }
            double residual = y - observed;
            loss += residual * residual;
        }
        return loss;
    }

    /** Fitted parameters, the loss there, and the gradient-descent steps taken. */
    public record Fit(double stiffness, double damping, double y0, double loss, int iterations) {}

    /**
     * Fits {@code (k, c, y0)} to five observations by gradient descent from a starting guess, each
     * step along {@code -gradient} with a backtracking line search (halve the step until the loss
     * falls by at least half of what the gradient promises; then let the next try be twice as long).
     * Stops when the loss is below {@code targetLoss} or after {@code maxIterations} steps.
     */
    public static Fit fit(double[] observed, double stiffness, double damping, double y0, double targetLoss,
            int maxIterations) {
        double[] o = observed;
        var g = EulerDerivatives.lossGradient(stiffness, damping, y0, o[0], o[1], o[2], o[3], o[4]);
        double rate = 1;
        int iteration = 0;
        while (g.value() > targetLoss && iteration < maxIterations) {
            double squaredNorm = g.stiffness() * g.stiffness() + g.damping() * g.damping() + g.y0() * g.y0();
            while (true) {
                double k = stiffness - rate * g.stiffness();
                double c = damping - rate * g.damping();
                double y = y0 - rate * g.y0();
                double trial = EulerDerivatives.loss(k, c, y, o[0], o[1], o[2], o[3], o[4]);
                if (trial <= g.value() - 0.5 * rate * squaredNorm) {
                    stiffness = k;
                    damping = c;
                    y0 = y;
                    break;
                }
                rate *= 0.5;
            }
            rate *= 2;
            g = EulerDerivatives.lossGradient(stiffness, damping, y0, o[0], o[1], o[2], o[3], o[4]);
            iteration++;
        }
        return new Fit(stiffness, damping, y0, g.value(), iteration);
    }

    /** The positions {@link #loss} compares, at t = 0.5, 1, 1.5, 2 and 2.5, for given parameters. */
    public static double[] observations(double stiffness, double damping, double y0) {
        double[] observed = new double[5];
        for (int i = 0; i < observed.length; i++) {
            observed[i] = EulerDerivatives.position(stiffness, damping, y0, (i + 1) * STEPS_PER_OBSERVATION);
        }
        return observed;
    }
}
