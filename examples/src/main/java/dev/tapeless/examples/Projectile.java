package dev.tapeless.examples;

import dev.tapeless.Differentiable;

/**
 * How far a ball flies against quadratic air drag, by four explicit Euler steps written out: many
 * locals, reassigned with compound assignments. Its gradient says how the distance responds to
 * the launch speed, the angle and the drag coefficient.
 */
public final class Projectile {
    private Projectile() {}

    /** Gravity, in m/s². A compile-time constant: folded into the generated code. */
    static final double GRAVITY = 9.81;

    /** The time step, in seconds. Not final: generated code reads it at run time, as this method does. */
    static double step = 0.25;

    /**
     * The horizontal distance after four steps, then {@code rolls} more steps along the ground
     * (int data), each at 70% of the speed of the one before.
     */
    @Differentiable(wrt = {"speed", "angle", "drag"})
    public static double distance(double speed, double angle, double drag, int rolls) {
        double vx = speed * Math.cos(angle);
        double vy = speed * Math.sin(angle);
        double x = 0;
        double airSpeed;

        airSpeed = Math.hypot(vx, vy);
        x += vx * step;
        vx -= drag * airSpeed * vx * step;
        vy -= (GRAVITY + drag * airSpeed * vy) * step;

        airSpeed = Math.hypot(vx, vy);
        x += vx * step;
        vx -= drag * airSpeed * vx * step;
        vy -= (GRAVITY + drag * airSpeed * vy) * step;

        airSpeed = Math.hypot(vx, vy);
        x += vx * step;
        vx -= drag * airSpeed * vx * step;
        vy -= (GRAVITY + drag * airSpeed * vy) * step;

        airSpeed = Math.hypot(vx, vy);
        x += vx * step;
        vx -= drag * airSpeed * vx * step;

        double rolling = (1 - Math.pow(0.7, rolls)) / (1 - 0.7); // 1 + 0.7 + 0.7² + ... (rolls terms)
        x += 0.7 * rolling * vx * step;
        return x;
    }
}
