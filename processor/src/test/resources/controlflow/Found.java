package cf;

import dev.tapeless.Differentiable;

/**
 * Bugs the fuzzer and review found, each as it was found (minimized), now right: checked three ways
 * by {@code ControlFlowTest}.
 */
final class Found {
    private Found() {}

    static final boolean OFF = false;

    /** A differentiated array the result does not read: its gradient is zeros of its length (it was 0.0, which did not compile). */
    @Differentiable
    static double unreachedArray(double[] w, double x) {
        return x * x;
    }

    /** An array that is data until a branch writes a differentiated value into it (the gradient through it was 0). */
    @Differentiable
    static double inactiveArrayInBranch(double x, double t) {
        double[] k = {1.0};
        if (t < 1) k[0] = x * 2;
        return k[0];
    }

    /** The same, by compound assignment in the else branch. */
    @Differentiable
    static double inactiveArrayInElse(double x, double t) {
        double[] k = {1.0, 2.0};
        if (t < 1) k[1] = 3;
        else k[0] *= x;
        return k[0] + k[1];
    }

    /** A carried value the result does not read, whose local derivative overflows (its gradient was NaN, not 0). */
    @Differentiable
    static double deadAdjointInLoop(double g, double r) {
        for (int i = 0; i < 3; i++) {
            r = 1e300 / (r * r * (r * r) + 0.25);
            g = Math.sin(g);
        }
        return g;
    }

    /** A loop, then an if that never runs and reads what the loop left (the companion read a value it had dropped). */
    @Differentiable
    static double constantIfAfterLoop(double x, double a) {
        for (int i = 0; i < 3; i++) a = x * 2;
        if (OFF) x -= a;
        return x;
    }

    /** The same from the fuzzer: a loop kept for a division that may throw, then a dead branch. */
    @Differentiable
    static double loopKeptForItsDivision(int acc, double z, long r) {
        for (int i = 1; i >= acc && i % 4 != 1; i -= 2) {
            z *= Math.tanh(0L / i);
            z = r;
        }
        if (OFF) {
            int k = z <= -acc ? 10 : acc / acc;
        }
        return 2.0 * z;
    }

    /** A do loop whose body always returns: nothing follows it (it was rejected as "must return a value on every path"). */
    @Differentiable
    static double doAlwaysReturns(double x) {
        int i = 0;
        do {
            i++;
            return x * 2;
        } while (i < 3);
    }

    /** The same, returning from both sides of an if. */
    @Differentiable
    static double doReturnsFromBothSides(double x) {
        int i = 0;
        do {
            i++;
            if (x > 1) return x * 2;
            else return x * x;
        } while (i < 3);
    }

    /** A do loop that may continue before it returns: it can complete, and the return after it counts. */
    @Differentiable
    static double doMayContinue(double x, int n) {
        int i = 0;
        do {
            i++;
            if (i < n) continue;
            return x * i;
        } while (i < 3);
        return -x;
    }
}
