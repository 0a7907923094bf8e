package cf;

import dev.tapeless.Differentiable;

public class Edges {
    @Differentiable
    static double copyIf(double a, double b, boolean c) {
        double r = a;
        if (c) r = b;
        return r * 2;
    }

    @Differentiable
    static double copyIfX(double a, double b) {
        double r = a;
        if (a > 0) r = b;
        else r = a;
        return r * 2;
    }


    @Differentiable
    static double forever(double x, int n) {
        double s = x;
        while (true) {
            s = s * x;
            if (n-- <= 0) return s;
        }
    }

    @Differentiable
    static double incInConditional(double x, boolean c) {
        int i = 0;
        double s = (c ? i++ : i--) + x;
        return s + i;
    }

    @Differentiable
    static double boolConditional(double x, boolean c, boolean d) {
        boolean b = c ? d : x > 0;
        return b ? x * x : -x;
    }

    @Differentiable
    static double assignInCondition(double x, int n) {
        int i = 0;
        double s = 0;
        while ((i += 2) < n) s = s * 0.5 + x * i;
        return s + i;
    }

    @Differentiable
    static double guardedRead(double[] x, int i) {
        double v = i < x.length ? x[i] : -1;
        return v * x[0];
    }

    @Differentiable
    static double fib(double a, double b, int n) {
        for (int i = 0; i < n; i++) {
            double next = a + b;
            a = b;
            b = next;
        }
        return a;
    }

    @Differentiable
    static double plusOneInLoop(double x) {
        double s = x;
        for (int i = 0; i < 3; i++) {
            s = s + 1;
        }
        return s;
    }

    @Differentiable
    static double doublingUntil(double x, double y) {
        double s = Math.abs(x) + 0.25;
        while (s < Math.abs(y) + 1) {
            s = s * 2;
        }
        return s;
    }

    @Differentiable
    static double logit(double[] w, double b) {
        double z = b;
        for (int j = 0; j < w.length; j++) {
            z += w[j];
        }
        return z;
    }

    @Differentiable
    static double nestedSum(double x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s += x;
            }
        }
        return s;
    }

    @Differentiable
    static double returnsParameter(double x, double t, int n) {
        for (int i = 0; i < n; i++) {
            if (x > i) return t;
        }
        return 0;
    }

    @Differentiable
    static double firstAbove(double[] x, double t) {
        double found = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] > t) {
                found = x[i];
                break;
            }
        }
        return found;
    }

    @Differentiable
    static double rowsSum(double[][] xs, double c) {
        double s = 0;
        for (double[] row : xs) {
            for (double v : row) s += v * c;
        }
        return s;
    }

    static final int SCALE = 0;
    static double limit = 100.0;
    static final long RATE = -3759756031L;

    /** The fuzzer's: a loop that always breaks on a constant condition, in a loop; its values read a parameter. */
    @Differentiable
    static double constantBreak(double xs, int m, int k) {
        int i = 0;
        while (xs > -54.17503106637718 && i < SCALE % 8 + 8) {
            i++;
            xs *= 2.0;
            for (int j = m % 2 + 4; j >= SCALE % 2; --j) {
                k++;
                if (-Edges.RATE > RATE + RATE) break;
                return limit;
            }
        }
        return xs * (RATE - 3L);
    }

    /** A loop whose condition assigns (evaluated again at the end) and whose body always returns. */
    @Differentiable
    static double returnsAtOnce(double v, int lhs, int sub, double p) {
        int i = 12;
        while (sub < 9 && p < lhs && --i >= 0) {
            return v * 2;
        }
        return 0.0;
    }
}
