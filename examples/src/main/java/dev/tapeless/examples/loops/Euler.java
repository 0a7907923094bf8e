package dev.tapeless.examples.loops;

import dev.tapeless.Differentiable;

/**
 * A damped pendulum, {@code θ'' = -k sin θ - c θ'}, integrated by explicit Euler steps. Its
 * gradient says how the final angle responds to the initial angle and angular velocity, the
 * stiffness {@code k} (gravity over length) and the damping {@code c}; the step size is data.
 */
public final class Euler {
    private Euler() {}

    /** The angle after {@code steps} steps of size {@code dt}, from angle {@code theta} and angular velocity {@code omega}. */
    @Differentiable(wrt = {"theta", "omega", "stiffness", "damping"})
    public static double pendulum(double theta, double omega, double stiffness, double damping, double dt, int steps) {
        for (int i = 0; i < steps; i++) {
            double acceleration = -stiffness * Math.sin(theta) - damping * omega;
            theta += dt * omega;
            omega += dt * acceleration;
        }
        return theta;
    }
}
