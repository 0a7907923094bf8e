package dev.tapeless.runtime.support;

/**
 * What one call of a generated entry point runs. On ND4J's path: {@code fewest} ND4J ops when the
 * shapes of the arguments agree wherever the code guards on them (no broadcasting to undo),
 * {@code most} when every guard takes its slow path. When the entry point has fused loops
 * ({@code fusedLoops > 0}) and its arguments fit them ({@link Dense#fits}), it runs those Java
 * loops over the arrays' memory instead, and no ND4J op.
 */
public record OpCount(int fewest, int most, int fusedLoops) {
    /** An entry point without fused loops. */
    public OpCount(int fewest, int most) {
        this(fewest, most, 0);
    }

    @Override
    public String toString() {
        String ops = fewest == most ? Integer.toString(fewest) : fewest + "–" + most;
        return fusedLoops == 0 ? ops : ops + " (or " + fusedLoops + " fused loop" + (fusedLoops == 1 ? "" : "s") + ")";
    }
}
