package cf;

import dev.tapeless.Differentiable;

public class Loops {
    @Differentiable
    static double piecewise(double x) {
        if (x < 0) return -x * x;
        if (x > 2) {
            return 4 + (x - 2);
        }
        return x * x;
    }

    @Differentiable
    static double power(double x, int n) {
        double y = 1;
        for (int i = 0; i < n; i++) {
            y = y * x;
        }
        return y;
    }

    @Differentiable
    static double euler(double k, double y0, int steps) {
        double y = y0;
        double h = 0.01;
        int t = 0;
        while (t < steps) {
            y += h * (-k * y + Math.sin(y));
            t++;
        }
        return y;
    }

    @Differentiable
    static double breaks(double x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            if (s > 10) break;
            if (i % 2 == 1) continue;
            s += Math.exp(x * i * 0.1);
        }
        return s;
    }

    @Differentiable
    static double earlyInLoop(double x, int n) {
        double s = x;
        int i = 0;
        while (true) {
            s = s * 1.5 + Math.sin(s);
            if (s > 100) return s * 2;
            if (++i >= n) break;
        }
        return s;
    }

    @Differentiable
    static double nested(double x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double t = x;
            for (int j = 0; j < i; j++) {
                t = t * Math.cos(t);
            }
            s += t;
        }
        return s;
    }
}
