package dev.tapeless.runtime.support;

/**
 * What one call of a generated entry point runs. On ND4J's path: {@code fewest} ND4J ops when the
 * shapes of the arguments agree wherever the code guards on them (no broadcasting to undo),
 * {@code most} when every guard takes its slow path. Where its arguments allow, it runs Java loops
 * over the arrays' memory instead: {@code fusedLoops} loops and no ND4J op, when every argument
 * has one shape ({@link Dense#fits}); else {@code matrixLoops} loops and {@code matrixProducts}
 * ND4J ops (each a {@code gemm}), when they have rank 2 at most ({@link Matrices#fit}). A count
 * of 0 means the entry point has no such path.
 */
public record OpCount(int fewest, int most, int fusedLoops, int matrixLoops, int matrixProducts) {
    /** An entry point without loops. */
    public OpCount(int fewest, int most) {
        this(fewest, most, 0, 0, 0);
    }

    /** An entry point with fused loops only. */
    public OpCount(int fewest, int most, int fusedLoops) {
        this(fewest, most, fusedLoops, 0, 0);
    }

    /**
     * This count plus that of generated code it calls (a library's companion), which takes its own
     * paths: its fewest ops are those of its cheapest path. Ops that functions with custom
     * derivatives run are not counted: Tapeless does not read them.
     */
    public OpCount plus(OpCount called) {
        int least = called.fusedLoops > 0 ? 0
                : called.hasMatrixLoops() ? Math.min(called.fewest, called.matrixProducts) : called.fewest;
        return new OpCount(fewest + least, most + called.most, fusedLoops, matrixLoops, matrixProducts);
    }

    /** Whether the entry point has matrix loops (a path for rank 2 at most, with broadcasting). */
    public boolean hasMatrixLoops() {
        return matrixLoops + matrixProducts > 0;
    }

    @Override
    public String toString() {
        String ops = fewest == most ? Integer.toString(fewest) : fewest + "–" + most;
        StringBuilder s = new StringBuilder(ops);
        if (fusedLoops > 0) s.append(" (or ").append(plural(fusedLoops, "fused loop")).append(')');
        if (hasMatrixLoops()) {
            s.append(" (or ").append(plural(matrixLoops, "matrix loop"));
            if (matrixProducts > 0) s.append(" and ").append(plural(matrixProducts, "gemm"));
            s.append(')');
        }
        return s.toString();
    }

    private static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
