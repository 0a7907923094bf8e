package dev.tapeless.examples.control;

import dev.tapeless.Differentiable;

/**
 * Control flow in {@code double} methods, a few constructs per method, for {@code ConstructsTest}:
 * branches (if without else, else-if chains, nested ifs, early returns), loops (for, while, do,
 * counters up and down by any step, long counters, nested loops, loops that never run, trip counts
 * that depend on the data), break and continue, returns from inside loops, and the boolean and
 * integer operators that decide them.
 */
final class Constructs {
    private Constructs() {}

    // ---- branches ------------------------------------------------------------------------------

    /** Two ifs without else, one braced and one not: the value not reassigned flows past each. */
    @Differentiable
    static double ifWithoutElse(double x) {
        double y = x * x;
        if (x > 1) {
            y = y * x;
        }
        if (x < -1) y = -y;
        return y + x;
    }

    /** A four-way if / else if / else chain assigning one local, each piece with its own formula. */
    @Differentiable
    static double elseIfChain(double x, double y) {
        double r;
        if (x < -1) {
            r = x * y;
        } else if (x < 0) {
            r = Math.sin(x) + y;
        } else if (x < 1) {
            r = x * x * y;
        } else {
            r = Math.log(x) * y * y;
        }
        return r;
    }

    /** Nested ifs with returns at several depths, and a path that falls out of all of them. */
    @Differentiable
    static double nestedIfs(double x, double y, boolean flag) {
        if (x > 0) {
            if (y > 0) {
                return x * y;
            } else if (flag) {
                return x - y;
            }
            return x / y;
        } else {
            if (flag) {
                if (y > x) {
                    return y * y - x * y;
                }
            } else {
                return x * x * y;
            }
        }
        return x + 2 * y;
    }

    /** Boolean locals and a boolean parameter, combined with {@code && || ! == !=}, deciding ifs and a {@code ?:}. */
    @Differentiable
    static double booleans(double x, double y, boolean flag) {
        boolean positive = x > 0;
        boolean small = Math.abs(y) < 1;
        boolean both = positive && small;
        boolean either = positive || flag;
        double r = 0;
        if (both) r += x * y;
        if (either && !small) r += y * y;
        if (positive == flag) r -= x * x;
        if (positive != small) r += 2 * x * y;
        if (!(x < y) || flag && small) r += x * (x + y);
        boolean chosen = flag && positive || !flag && small;
        return chosen ? r * 2 : r - y * y;
    }

    /** {@code ==} and {@code !=} on doubles and ints, and {@code %} on ints (negative ones too). */
    @Differentiable
    static double equalities(double x, int n) {
        if (x == 0) {
            return 1;
        }
        double r = x;
        if (x != 1) r = r * x;
        if (n % 2 == 0) r = r + x;
        if (n % 3 != 0) r = r * 3;
        if (n == 5) r = -r;
        return r;
    }

    /** A boolean flipped in a loop (a parity), then tested: booleans carried around a loop. */
    @Differentiable
    static double booleanCarried(double x, int n) {
        boolean odd = false;
        double s = x;
        for (int i = 0; i < n; i++) {
            odd = !odd;
            if (odd) s = s * x;
            else s = s + x;
        }
        return odd ? s : -s;
    }

    // ---- loops ---------------------------------------------------------------------------------

    /** A counting for loop: 0, 1 or many trips. */
    @Differentiable
    static double forSum(double x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.sin(x * i) / (i + 1);
        }
        return s + x;
    }

    /** A while loop with its counter: {@code x^n}. */
    @Differentiable
    static double whilePower(double x, int n) {
        double p = 1;
        int i = 0;
        while (i < n) {
            p *= x;
            i++;
        }
        return p;
    }

    /** A do loop runs its body once even when the condition is false from the start. */
    @Differentiable
    static double doWhile(double x, int n) {
        double y = x;
        do {
            y = y * y * 0.5 + x;
            n--;
        } while (n > 0);
        return y;
    }

    /** {@code continue} in a do loop goes to the condition. */
    @Differentiable
    static double doWhileContinue(double x, int n) {
        int i = 0;
        double s = x;
        do {
            i++;
            if (i % 2 == 0) continue;
            s = (s + i) * x;
        } while (i < n);
        return s;
    }

    /** Counters down by two, down by one, and up by {@code k}; the counters are read in the body. */
    @Differentiable
    static double counters(double x, int n, int k) {
        double s = x;
        for (int i = n; i > 0; i -= 2) {
            s = (s + i) * x;
        }
        for (int i = n; i >= 0; i--) {
            s = s * 0.5 + x / (i + 1);
        }
        for (int i = 0; i < n; i += k) {
            s -= x * i * s;
        }
        return s;
    }

    /** Two counters in one for, both updated. */
    @Differentiable
    static double twoCounters(double x, int n) {
        double s = 0;
        for (int i = 0, j = n; i < j; i++, j--) {
            s += x * (j - i) + s * x;
        }
        return s;
    }

    /** {@code n--} in a while's condition, its value read after the loop, {@code ++i} and {@code i++} inside expressions. */
    @Differentiable
    static double incrementsInExpressions(double x, int n) {
        double s = x;
        int m = n;
        while (m-- > 0) {
            s = (s + m) * x;
        }
        int i = 0;
        double t = 0;
        while (i < n) {
            t += x * ++i;
        }
        double u = 0;
        int j = 0;
        while (j < n) {
            u += j++ * s;
        }
        return s + t + u - m * x;
    }

    /** A long counter, and a long halved to zero (63 trips from Long.MAX_VALUE). */
    @Differentiable
    static double longCounters(double x, long m) {
        double s = x;
        for (long i = 0; i < m % 10; i++) {
            s = s * x / (i + 1);
        }
        long k = m;
        while (k > 0) {
            k /= 2;
            s = s * 0.5 + x;
        }
        return s;
    }

    /** Nested loops, the inner trip count set by the outer counter (up, then down). */
    @Differentiable
    static double triangle(double x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double row = 1;
            for (int j = 0; j <= i; j++) {
                row *= x + j;
            }
            int j = i;
            while (j > 0) {
                s = s * 0.5 + row / j;
                j--;
            }
            s = s * 0.5 + row;
        }
        return s;
    }

    /** Loops whose condition is false on entry: their bodies never run, their values pass through. */
    @Differentiable
    static double neverRuns(double x, int n) {
        double s = x * 3;
        for (int i = 0; i < 0; i++) {
            s = s * s;
        }
        for (int i = n; i < n; i++) {
            s = Math.exp(s);
        }
        while (s > s + 1) { // false for every double, infinities and NaN included
            s = s * 2;
        }
        while (n < 0 && n > 0) {
            s = -s;
            n++;
        }
        return s * x;
    }

    /** A trip count set by the data: a double time runs up to a double horizon (data, not differentiated). */
    @Differentiable(wrt = {"y0", "rate"})
    static double untilHorizon(double y0, double rate, double horizon) {
        double t = 0;
        double y = y0;
        double dt = 0.1;
        while (t < horizon) {
            y += dt * rate * y * (1 - y);
            t += dt;
        }
        return y;
    }

    /** The loop counter changed in the body too. */
    @Differentiable
    static double counterChangedInBody(double x, int n) {
        double s = x;
        for (int i = 0; i < n; i++) {
            if (i % 3 == 0) i++;
            s = (s + i) * x;
        }
        return s;
    }

    /** A local assigned on some trips only: the others carry its last value. */
    @Differentiable
    static double assignedOnSomeTrips(double x, int n) {
        double last = x;
        double s = 0;
        for (int i = 0; i < n; i++) {
            if (i % 2 == 1) {
                last = x * i + last * 0.5;
            }
            s += last;
        }
        return s;
    }

    // ---- break and continue --------------------------------------------------------------------

    /** Break before the body's work on trip {@code stop} (0: first trip; n - 1: last; n: never). */
    @Differentiable
    static double breakBefore(double x, int n, int stop) {
        double s = x;
        for (int i = 0; i < n; i++) {
            if (i == stop) break;
            s = (s + i) * x;
        }
        return s;
    }

    /** Break after the body's work on trip {@code stop}, in a while loop. */
    @Differentiable
    static double breakAfter(double x, int n, int stop) {
        double s = x;
        int i = 0;
        while (i < n) {
            s = s * x + Math.sin(s);
            if (i == stop) {
                break;
            }
            i++;
        }
        return s * (i + 1);
    }

    /** Continue on trip {@code skip}: the update still runs. */
    @Differentiable
    static double continueAt(double x, int n, int skip) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            if (i == skip) continue;
            s = (s + i + 1) * x;
        }
        return s;
    }

    /** Continue on every other trip of a while loop, the counter moved before it. */
    @Differentiable
    static double continueInWhile(double x, int n) {
        double s = x;
        int i = 0;
        while (i < n) {
            i++;
            if (i % 2 == 1) {
                continue;
            }
            s += x * s / i;
        }
        return s;
    }

    /** A break decided by the data: the trip count depends on {@code x}; {@code limit} is data. */
    @Differentiable(wrt = "x")
    static double breakWhenLarge(double x, double limit) {
        double s = x;
        for (int i = 0; i < 100; i++) {
            s = s * 1.5 + x;
            if (s > limit) break;
        }
        return s;
    }

    /** Break and continue in the inner loop act on the inner loop only. */
    @Differentiable
    static double innerBreakContinue(double x, int n) {
        double s = x;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                if (j > i + 1) break;
                s = (s + j) * x;
            }
            s += i * x;
        }
        return s;
    }

    /** {@code for (;;)} left by break, {@code while (true)} left by return or by break. */
    @Differentiable
    static double forever(double x, int n, int stop) {
        double s = x;
        int i = 0;
        for (;;) {
            if (i >= n) break;
            s = s * 0.5 + x;
            i++;
        }
        while (true) {
            s = s * x;
            if (i-- <= 0) {
                return s;
            }
            if (i == stop) break;
        }
        return -s;
    }

    // ---- early returns -------------------------------------------------------------------------

    /** A return from inside a loop, decided by the data; the loop may also end normally. */
    @Differentiable
    static double returnFromLoop(double x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s = s * x + 1;
            if (s > 10) {
                return s * s;
            }
        }
        return -s;
    }

    /** Returns from inside two nested loops: one decided by the counters, one by the data. */
    @Differentiable
    static double returnFromNestedLoops(double x, int n) {
        double s = x;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s = s * 0.5 + x * j;
                if (i * j == 6) {
                    return s * i;
                }
                if (s > 100) {
                    return s * (j + 1);
                }
            }
        }
        return s * 2;
    }

    /** A return on the first trip of a loop, and one on the last. */
    @Differentiable
    static double returnOnTrip(double x, int n, int at) {
        double s = x;
        int i = 0;
        do {
            s = (s - i) * x;
            if (i == at) return s / 2;
            i++;
        } while (i < n);
        return s;
    }

    /** A method with loops and early returns called (inlined) inside a loop. */
    @Differentiable
    static double callsInLoop(double x, int n) {
        double s = x;
        for (int i = 0; i < n; i++) {
            s += returnFromLoop(x * 0.5, i) * 0.01 + breakBefore(s * 0.1, 3, i);
        }
        return s;
    }
}
