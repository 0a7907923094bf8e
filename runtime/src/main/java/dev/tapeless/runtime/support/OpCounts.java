package dev.tapeless.runtime.support;

/**
 * The op counts of the four entry points generated for one {@code @Differentiable} method
 * {@code f}: {@code f} itself, {@code fGradient}, {@code fVjp} (the forward pass that keeps what the
 * pullback needs) and {@code pullback}.
 */
public record OpCounts(OpCount forward, OpCount gradient, OpCount vjp, OpCount pullback) {
    @Override
    public String toString() {
        return "forward " + forward + ", gradient " + gradient + ", vjp " + vjp + " + pullback " + pullback;
    }
}
