package cf;

import dev.tapeless.Differentiable;

public class Tricky {
    @Differentiable
    static double countdown(double x, int n) {
        double s = 1;
        while (n-- > 0) s = s * x + n;
        return s + n;
    }

    @Differentiable
    static double postInc(double x, int n) {
        double s = 0;
        int i = 0;
        for (; i++ < n; ) {
            s += x * i;
        }
        return s * i;
    }

    @Differentiable
    static double doContinue(double x, int n) {
        double s = 0;
        int i = 0;
        do {
            i++;
            if (i % 3 == 0) continue;
            s = s + Math.sin(x * i);
            if (s > 2) break;
        } while (i < n);
        return s;
    }

    @Differentiable
    static double nestedReturn(double x, int n) {
        double s = x;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s = s * 1.1 + j;
                if (s > 50) return s - i;
            }
            if (i == 2) break;
        }
        return -s;
    }

    @Differentiable
    static double uninit(double x, int n) {
        double y;
        if (n > 0) {
            y = x * 2;
        } else {
            y = x * x;
        }
        double z;
        for (int i = 0; ; i++) {
            z = y + i;
            if (i >= n) break;
        }
        return z * y;
    }

    @Differentiable
    static double bools(double x, boolean flip, int n) {
        boolean pos = x > 0;
        boolean big = Math.abs(x) > 1 || n > 3;
        double r = x;
        if (pos && !flip || big && flip) r = r * r;
        if (pos != big) r = -r;
        return pos == flip ? r : r + 1;
    }

    @Differentiable
    static double swap(double a, double b, int n) {
        for (int i = 0; i < n; i++) {
            double t = a;
            a = b;
            b = t + 0.5 * a;
        }
        return a * 3 + b;
    }

    @Differentiable
    static double whileFalse(double x) {
        double s = x;
        boolean never = false;
        while (never) {
            s = s * 2;
        }
        for (int i = 0; i < 0; i++) s = s + 1;
        return s * s;
    }

    @Differentiable
    static double dataTrip(double x, double horizon) {
        double t = 0;
        double y = x;
        while (t < horizon) {
            y = y + 0.1 * Math.cos(y);
            t += 0.1;
        }
        return y;
    }

    @Differentiable
    static double callsInLoop(double x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += helper(x, i);
        return s + helper(x, 1);
    }

    @Differentiable
    static double helper(double x, int k) {
        if (k % 2 == 0) return x * k;
        double y = x;
        for (int j = 0; j < k; j++) y = Math.sin(y);
        return y;
    }

    @Differentiable
    static double longCounter(double x, long n) {
        double s = 0;
        for (long i = n; i > 0; i -= 2) s += x / i;
        return s;
    }

    @Differentiable
    static double gatedInLoop(double x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double t = x - i * 0.5;
            s += t > 0 ? Math.sqrt(t) * x : Math.max(t, -1) * 2;
        }
        return s;
    }
}
