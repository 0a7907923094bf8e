package dev.tapeless.examples.control;

import dev.tapeless.Differentiable;
import dev.tapeless.runtime.Variable;

/**
 * Tensor methods with control flow, a construct at a time, for {@code TensorControlFlowTest}: which
 * {@code Variable} computation runs depends on {@code int} and {@code boolean} data and on loop
 * counters, and {@code Variable} locals are carried through branches and loops. Each is checked
 * against the tape (which runs it as written) and against finite differences.
 */
final class TensorControlFlow {
    private TensorControlFlow() {}

    /** if/else choosing between two Variable computations of the same parameters. */
    @Differentiable
    static Variable choose(Variable x, Variable y, boolean smooth) {
        Variable z;
        if (smooth) {
            z = x.mul(y).tanh().add(y);
        } else {
            z = x.sin().mul(y.exp());
        }
        return z.sum();
    }

    /** else-if chain on an int; one branch leaves the local as it was. */
    @Differentiable
    static Variable chain(Variable x, Variable y, int mode) {
        Variable z = x.mul(y);
        if (mode == 0) {
            z = z.exp();
        } else if (mode == 1) {
            z = z.add(x.exp()).sigmoid();
        } else if (mode > 5) {
            z = y.sub(x).pow(2.0);
        }
        return z.mean();
    }

    /** An if without else inside straight-line code: the Variable reassigned only on one path. */
    @Differentiable
    static Variable maybeSquash(Variable x, boolean squash) {
        Variable h = x.mul(2.0);
        if (squash) h = h.tanh();
        return h.mul(x).sum();
    }

    /** Both branches return: a return on each path of the if, nothing after it. */
    @Differentiable
    static Variable returnFromBoth(Variable x, Variable y, int n) {
        Variable s = x.add(y);
        if (n % 2 == 0) {
            return s.tanh().sum();
        } else {
            return s.exp().mean();
        }
    }

    /** A product carried through a for loop: {@code sum(x^n)}; n = 1 runs the loop 0 times. */
    @Differentiable
    static Variable power(Variable x, int n) {
        Variable p = x;
        for (int i = 1; i < n; i++) {
            p = p.mul(x);
        }
        return p.sum();
    }

    /** Two Variables carried together through a while loop (a rotation-like recurrence). */
    @Differentiable
    static Variable twoCarried(Variable a, Variable b, Variable w, int n) {
        int k = 0;
        while (k < n) {
            Variable next = a.mul(w).add(b.sin());
            b = a.sub(b.mul(w)).tanh();
            a = next;
            k++;
        }
        return a.mul(b).sum();
    }

    /** A do-while runs its body at least once, even for n = 0. */
    @Differentiable
    static Variable atLeastOnce(Variable x, Variable w, int n) {
        Variable h = x;
        int k = 0;
        do {
            h = h.mul(w).add(x).tanh();
            k++;
        } while (k < n);
        return h.sum();
    }

    /** A counter counted down in the condition, as in {@code while (n-- > 0)}. */
    @Differentiable
    static Variable countDown(Variable x, int n) {
        Variable h = x.mul(0.5);
        while (n-- > 0) {
            h = h.sin().add(x);
        }
        return h.mean();
    }

    /** break: stops accumulating at {@code stop} (or runs to {@code n} when stop >= n). */
    @Differentiable
    static Variable stopAt(Variable x, Variable y, int n, int stop) {
        Variable acc = y;
        for (int i = 0; i < n; i++) {
            if (i == stop) break;
            acc = acc.mul(x).add(y);
        }
        return acc.sum();
    }

    /** continue: every other trip skips the update. */
    @Differentiable
    static Variable oddTripsOnly(Variable x, Variable y, int n) {
        Variable acc = y.mul(y);
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) continue;
            acc = acc.add(x.mul(acc).cos());
        }
        return acc.sum();
    }

    /** if/else inside a loop, on the counter: the carried Variable goes through either side. */
    @Differentiable
    static Variable alternate(Variable x, Variable y, int n) {
        Variable h = x;
        for (int i = 0; i < n; i++) {
            if (i % 3 == 1) {
                h = h.mul(y).tanh();
            } else {
                h = h.add(y.mul(x)).sigmoid();
            }
        }
        return h.mul(x).sum();
    }

    /** Nested loops with an inner bound from the outer counter: {@code sum_i sum_{j<=i} ...}. */
    @Differentiable
    static Variable nested(Variable x, Variable y, int n) {
        Variable acc = x.mul(0.0);
        for (int i = 0; i < n; i++) {
            Variable row = x.slice(i);
            for (int j = 0; j <= i; j++) {
                acc = acc.add(row.mul(y.slice(j)).tanh());
            }
        }
        return acc.sum();
    }

    /** slice with the loop counter: rows of x weighted by rows of w, over the first n rows. */
    @Differentiable
    static Variable weightedRows(Variable x, Variable w, int n) {
        Variable acc = x.slice(0).mul(w.slice(0));
        for (int t = 1; t < n; t++) {
            acc = acc.add(x.slice(t).mul(w.slice(t)));
        }
        return acc.exp().sum();
    }

    /**
     * A small recurrence with a non-scalar result (for the pullback): {@code h = tanh(x_t·w + h·u)}
     * over the first n rows {@code x_t} of xs (vectors), h starting at zero; the result is a vector.
     */
    @Differentiable
    static Variable recurrence(Variable xs, Variable w, Variable u, int n) {
        Variable h = xs.slice(0).mmul(w).tanh();
        for (int t = 1; t < n; t++) {
            h = xs.slice(t).mmul(w).add(h.mmul(u)).tanh();
        }
        return h;
    }

    /** A loop bound from a parameter, with a data condition (a boolean) inside the loop too. */
    @Differentiable
    static Variable boundAndFlag(Variable x, Variable y, int n, boolean flip) {
        Variable h = y;
        for (int i = 0; i < n; i++) {
            if (flip) {
                h = h.mul(x).neg().exp();
            } else {
                h = h.add(x).mul(h);
            }
        }
        return h.sum();
    }

    /** Each side returns; the side not taken keeps only a shape for its adjoint (a Vjp of the other side). */
    @Differentiable
    static Variable returnsOnEitherSide(Variable x, boolean b) {
        if (b) return x.exp().sum();
        return x.sin().mul(x).sum();
    }

    /** An early return from a loop: the loop's result is no array until it returns. */
    @Differentiable
    static Variable returnFromLoop(Variable x, Variable y, int n) {
        for (int i = 0; i < n; i++) {
            if (i == 1) return x.mul(y).sum();
        }
        return x.mean();
    }

    /**
     * A loop whose body returns and whose condition is false at once (from the fuzzer, seed 41,
     * program 1422): the local the body assigns has no value after the loop, and the adjoint made
     * for it there must have none either (it was once written as zeros shaped like null, which javac
     * rejects: this class did not compile).
     */
    @Differentiable
    static Variable returnFromALoopThatNeverRuns(Variable x) {
        Variable h = x;
        int i = 0;
        while (i > 1 && i++ < 6) {
            x = x.sqrt();
            x = h;
            return x.mean();
        }
        return h.mul(h).mean();
    }
}
