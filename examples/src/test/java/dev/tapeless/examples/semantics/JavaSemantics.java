package dev.tapeless.examples.semantics;

import static java.lang.Math.*;

import dev.tapeless.Differentiable;
import dev.tapeless.runtime.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Methods whose values hang on the fine print of Java: widening and narrowing, integer
 * wrap-around, constant folding, promotion in {@code ?:}, overloads, static imports, inherited
 * constants, fields assigned between a Vjp and its pullback, and magnitudes near the ends of the
 * double range. Each was computed wrongly, or rejected, once (issue 8); {@code JavaSemanticsTest}
 * checks the generated code against these methods run as plain Java.
 */
final class JavaSemantics implements Physics {
    private JavaSemantics() {}

    static final boolean FLAG = true;
    /** Assigned by tests between a Vjp and its pullback. */
    static double k = 2;
    static INDArray weights;

    /** Settings of another class, read at run time. */
    static final class Settings {
        private Settings() {}

        static double scale = 3;
    }

    // ---- widening int to long ------------------------------------------------------------------

    @Differentiable
    static double widenedLocal(double x, int k) {
        long m = k;
        long n = m * 100000;
        return x * n;
    }

    @Differentiable
    static double scaledByLong(double x, long m) {
        return x * (m * 100000);
    }

    @Differentiable
    static double widenedArgument(double x, int k) {
        return scaledByLong(x, k);
    }

    @Differentiable
    static double compoundOnLong(double x) {
        long n = 3;
        n += 2;
        n *= 1_000_000_007;
        return x * n;
    }

    @Differentiable
    static double compoundNarrowing(double x, int m) {
        int n = m;
        n *= 1.5; // (int) (n * 1.5)
        long big = Long.MAX_VALUE;
        big /= 0.5; // (long) (big / 0.5): saturates
        return x * n + big;
    }

    // ---- constants with Java's exact values -----------------------------------------------------

    @Differentiable
    static double longBeyondDoublePrecision(double x) {
        long n = 9007199254740993L;
        long m = n - 9007199254740992L;
        return x * m;
    }

    @Differentiable
    static double negatedMinValue(double x) {
        int n = -Integer.MIN_VALUE;
        return x * n;
    }

    @Differentiable
    static double negatedIntTimesNegatedDouble(double x, int n) {
        return (-n) * (-x);
    }

    @Differentiable
    static double foldedConditionalPromotes(double x) {
        return x * ((FLAG ? 3 : 0.5) / 2);
    }

    @Differentiable
    static double castsOfData(double x, long big, int small) {
        int low = (int) big;
        long widened = (long) small * small;
        return x * low + x * widened + (double) (int) 3.9e10;
    }

    // ---- forward values at the ends of the range ----------------------------------------------

    @Differentiable
    static double doubledProduct(double x, double y) {
        double t = x * y;
        return t + t;
    }

    @Differentiable
    static double sumOfEqualProducts(double x, double y) {
        return x * y + x * y;
    }

    @Differentiable
    static double square(double x) {
        return x * x;
    }

    @Differentiable
    static double angle(double u, double v) {
        return atan2(u, v);
    }

    @Differentiable
    static double powerOfNegativeZero(double x) {
        return Math.pow(x, -0.0) * x;
    }

    // ---- fields read by a Vjp -------------------------------------------------------------------

    @Differentiable
    static double fieldScaled(double x) {
        return k * x * x + Settings.scale * x;
    }

    @Differentiable
    static Variable fieldWeighted(Variable x) {
        return x.mul(Variable.constant(weights)).sum();
    }

    @Differentiable
    static Variable fieldReturned(Variable x) {
        return Variable.constant(weights);
    }

    @Differentiable
    static double unusedDivision(double x, int n) {
        int q = 10 / n; // throws for n = 0, used or not
        long r = 10L / n;
        return x;
    }

    @Differentiable
    static double divisionInAnOperandNotTaken(double x, int n) {
        return x * (n > 0 ? (10 / n) * (10 / n) : 0) + x * (n >= 0 ? (n > 1 ? 21 / n : 0) : 7 / n);
    }

    @Differentiable
    static double divisionTheAdjointNeeds(double x, int n) {
        return n > 0 ? x * (10 / n) : x;
    }

    @Differentiable
    static Variable arrayScaledByLong(Variable x, long n) {
        return x.mul(n).add(n).sum();
    }

    @Differentiable
    static Variable expandedToRankZero(Variable y) {
        return y.sum().expand().mul(y.sum());
    }

    // ---- names resolved as javac resolves them --------------------------------------------------

    static double h(int n) {
        return n;
    }

    @Differentiable
    static double h(double x) {
        return x * x;
    }

    @Differentiable
    static double callsTheDoubleOverload(double x) {
        return h(x) + 1;
    }

    @Differentiable
    static double staticallyImportedMath(double x, double y) {
        return sin(x) * cos(y) + sqrt(abs(x)) + PI;
    }

    @Differentiable
    static double inheritedConstant(double t) {
        return G * t * t / 2 + JavaSemantics.G;
    }
}

/** Constants a class inherits by implementing the interface. */
interface Physics {
    double G = 9.81;
}
