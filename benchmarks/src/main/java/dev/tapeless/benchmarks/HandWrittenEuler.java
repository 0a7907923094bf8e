package dev.tapeless.benchmarks;

/**
 * The adjoint of {@code Euler.pendulum} written by hand: the forward sweep stores, per step, the
 * angle, the angular velocity and the sine it computes anyway, side by side in one array; the
 * backward sweep reads them from the last step and computes the one cosine the adjoint of
 * {@code sin θ} needs. Per step, with {@code a = -k sin θ - c ω}:
 * {@code d_a = d_ω dt}, then {@code d_θ -= k cos θ d_a}, {@code d_ω += dt d_θ - c d_a},
 * {@code d_k -= sin θ d_a}, {@code d_c -= ω d_a}.
 */
final class HandWrittenEuler {
    private HandWrittenEuler() {}

    record Gradient(double value, double theta, double omega, double stiffness, double damping) {}

    static Gradient pendulumGradient(double theta, double omega, double stiffness, double damping, double dt, int steps) {
        int n = Math.max(0, steps);
        double[] trajectory = new double[3 * n]; // θ_i, ω_i, sin θ_i of step i
        for (int i = 0; i < n; i++) {
            double sin = Math.sin(theta);
            trajectory[3 * i] = theta;
            trajectory[3 * i + 1] = omega;
            trajectory[3 * i + 2] = sin;
            double acceleration = -stiffness * sin - damping * omega;
            theta += dt * omega;
            omega += dt * acceleration;
        }
        double dTheta = 1;
        double dOmega = 0;
        double dStiffness = 0;
        double dDamping = 0;
        for (int i = n - 1; i >= 0; i--) {
            double thetaI = trajectory[3 * i];
            double omegaI = trajectory[3 * i + 1];
            double sinI = trajectory[3 * i + 2];
            double dAcceleration = dOmega * dt;
            dStiffness -= sinI * dAcceleration;
            dDamping -= omegaI * dAcceleration;
            dOmega += dt * dTheta - damping * dAcceleration;
            dTheta -= stiffness * Math.cos(thetaI) * dAcceleration;
        }
        return new Gradient(theta, dTheta, dOmega, dStiffness, dDamping);
    }
}
