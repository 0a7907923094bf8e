package cf;

import dev.tapeless.Differentiable;

/**
 * Adversarial cases for loop fusion (see {@code Fused}): nested loops that fuse level by level,
 * loops in branches and branches in loops, break / continue / return, rotated and do-while loops,
 * counters that step by two, count down or repeat indices, local arrays written before, inside and
 * after a loop, adjoints added before and after a loop, loops in sequence sharing or feeding sums,
 * data parameters and static fields. Some fuse, some must not; {@code ControlFlowTest} checks every
 * method's value bit for bit, its gradient against finite differences and its pullback against
 * the gradient.
 */
final class FusedAdversarial {
    private FusedAdversarial() {}

    static double K = 1.5;
    static final double C = 0.25;

    /** Nested sums: the outer loop fuses, then the inner loop and its reverse, side by side in it, fuse too. */
    @Differentiable
    static double nested(double[] x, double[][] xs) {
        double s = 0;
        for (int r = 0; r < xs.length; r++) {
            for (int j = 0; j < x.length; j++) s += xs[r][j] * x[j] * x[j];
        }
        return s;
    }

    /** An inner sum added to an outer one; both levels fuse. */
    @Differentiable
    static double nestedInner(double[] x, int n) {
        double s = 0;
        for (int r = 0; r < n; r++) {
            double t = 0;
            for (int j = 0; j < x.length; j++) t += x[j] * x[j] * r;
            s += t;
        }
        return s;
    }

    /** The inner loop adds into the same elements on every outer iteration (no plain writes). */
    @Differentiable
    static double nestedSameIndex(double[] x, int n) {
        double s = 0;
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < x.length; j++) s += Math.sin(x[j]);
        }
        return s;
    }

    /** Loops inside the arms of a branch (the reverse loops are in the reverse branch: no fusion). */
    @Differentiable
    static double loopInBranch(double[] x, boolean c) {
        double s = 0;
        if (c) {
            for (int i = 0; i < x.length; i++) s += x[i] * x[i];
        } else {
            for (int i = x.length - 1; i >= 0; i--) s += Math.exp(x[i]);
        }
        return s;
    }

    /** continue skips the sum on some iterations; each element is written at most once. */
    @Differentiable
    static double continueSkip(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] < 0) continue;
            s += x[i] * x[i] * x[i];
        }
        return s;
    }

    /** A return inside the loop: the adjoint of the result is not a sum (no fusion). */
    @Differentiable
    static double earlyReturn(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            if (s > 2) return s * 2;
            s += x[i] * x[i];
        }
        return s;
    }

    /** A do-while whose body runs at least once. */
    @Differentiable
    static double doWhile(double[] x) {
        double s = 0;
        int i = 0;
        do {
            s += x[i] * x[i];
            i++;
        } while (i < x.length);
        return s;
    }

    /** A rotated loop whose condition assigns the counter, stepping by two. */
    @Differentiable
    static double stepTwo(double[] x) {
        double s = 0;
        int i = -2;
        while ((i += 2) < x.length) s += x[i] * Math.cos(x[i]);
        return s;
    }

    /** while (n-- > 0): the counter counts down in the condition. */
    @Differentiable
    static double countDownCond(double[] x) {
        double s = 0;
        int n = x.length;
        while (n-- > 0) s += x[n] * x[n];
        return s;
    }

    /** Indices that repeat (i % length, i % 2). */
    @Differentiable
    static double modIndex(double[] x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[i % x.length] * x[i % 2 % x.length];
        return s;
    }

    /** An index counting down while the counter counts up. */
    @Differentiable
    static double reversedIndex(double[] x) {
        double s = 0;
        int n = x.length;
        for (int i = 0; i < n; i++) s += x[n - 1 - i] * x[n - 1 - i] * i;
        return s;
    }

    /** Two counters, one up and one down, reading the same array. */
    @Differentiable
    static double twoCounters(double[] x) {
        double s = 0;
        for (int i = 0, j = x.length - 1; i < x.length; i++, j--) s += x[i] * x[j];
        return s;
    }

    /** Two counters reading two arrays; the loop stops at the shorter one. */
    @Differentiable
    static double twoCountersDistinct(double[] x, double[] y) {
        double s = 0;
        for (int i = 0, j = y.length - 1; i < x.length && j >= 0; i++, j--) s += x[i] * y[j];
        return s;
    }

    /** Adjoints of x from statements before and after the loop as well as from the loop. */
    @Differentiable
    static double contribsBeforeAndAfter(double[] x) {
        double a = x[0] * 5;
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * x[i];
        return s + a + x[x.length - 1] * 7;
    }

    /** Two loops in sequence adding into one sum. */
    @Differentiable
    static double sharedSum(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * x[i];
        for (int i = 0; i < x.length; i++) s += Math.sin(x[i]);
        return s;
    }

    /** A loop's sum scales what the next loop adds (the first loop's adjoint is known only after the second). */
    @Differentiable
    static double sumFeedsLoop(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * x[i];
        double t = 0;
        for (int i = 0; i < x.length; i++) t += x[i] * s;
        return t;
    }

    /** Two independent sums over one array. */
    @Differentiable
    static double sumFeedsLoopLinear(double[] x, double w) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * w;
        double t = 0;
        for (int i = 0; i < x.length; i++) t += x[i];
        return t + s * 3;
    }

    /** Indices read from an int[] data parameter. */
    @Differentiable
    static double intData(double[] x, int[] idx) {
        double s = 0;
        for (int i = 0; i < idx.length; i++) s += x[idx[i] % x.length] * x[i % x.length];
        return s;
    }

    /** A boolean[] data parameter chooses what each iteration adds. */
    @Differentiable
    static double boolData(double[] x, boolean[] on) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            if (on[i]) s += x[i] * x[i];
            else s += 2 * x[i];
        }
        return s;
    }

    /** Enhanced for over double[][] rows and over each row. */
    @Differentiable
    static double rowsEnhanced(double[][] xs, double w) {
        double s = 0;
        for (double[] row : xs) for (double v : row) s += v * w * w;
        return s;
    }

    /** A local array written inside the loop (its adjoint is read and reset: no fusion). */
    @Differentiable
    static double localWrittenInside(double[] x) {
        double[] y = new double[x.length];
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * x[i];
            s += y[i];
        }
        return s;
    }

    /** A local array read in the loop and compound-assigned after it. */
    @Differentiable
    static double localWrittenAfter(double[] x, double p) {
        double[] y = new double[2];
        y[0] = x[0];
        y[1] = p;
        double s = 0;
        for (int i = 0; i < 2; i++) s += y[i] * y[i];
        y[0] += p;
        return s + y[0] * y[1];
    }

    /** A local array read in the loop and incremented after it. */
    @Differentiable
    static double localIncAfter(double[] x, double p) {
        double[] y = new double[2];
        y[0] = x[0];
        y[1] = p;
        double s = 0;
        for (int i = 0; i < 2; i++) s += y[i] * y[i];
        y[1]++;
        return s + y[1] * 2;
    }

    /** The sum is scaled by a value computed after the loop (that value moves before the fused loop). */
    @Differentiable
    static double scaledByAfter(double[] x, double p) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * x[i];
        double q = p * p;
        return s * q;
    }

    /** The sum divided by the length and added again. */
    @Differentiable
    static double divByLength(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * x[i];
        return s / x.length + s * 2;
    }

    /** A loop that often runs zero times. */
    @Differentiable
    static double zeroTrip(double[] x, int n) {
        double s = x[0];
        for (int i = 0; i < n - 5; i++) s += x[i % x.length] * x[0];
        return s;
    }

    /** Two fused loops whose reverses both need one value computed after them. */
    @Differentiable
    static double sharedHoist(double[] x, double[] y, double c) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * x[i];
        double t = 0;
        for (int j = 0; j < y.length; j++) t += Math.sin(y[j]);
        return Math.sin(c) * (s + t);
    }

    /** Two loops over one array with a common scale; the second loop adds into elements the first wrote. */
    @Differentiable
    static double sharedHoistSameArray(double[] x, double c) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * x[i];
        double t = 0;
        for (int j = 0; j < x.length; j++) t += Math.sin(x[j]);
        return Math.exp(c) * s + Math.exp(c) * t + x[0] * c;
    }

    /** Three nested loops adding into one sum. */
    @Differentiable
    static double threeLevels(double[] x, int n, int m) {
        double s = 0;
        for (int a = 0; a < n; a++)
            for (int b = 0; b < m; b++)
                for (int i = 0; i < x.length; i++) s += x[i] * x[(i + a + b) % x.length];
        return s;
    }

    /** An inner product (not a sum) inside an outer sum: the inner loop keeps its reverse loop. */
    @Differentiable
    static double innerProductInFused(double[] x, int n) {
        double s = 0;
        for (int r = 0; r < n; r++) {
            double p = 1;
            for (int j = 0; j < x.length; j++) p *= 1 + x[j] * 0.1 * r;
            s += p;
        }
        return s;
    }

    /** An inner loop in a branch of a fused loop (its values are saved and read back per outer iteration). */
    @Differentiable
    static double innerInBranch(double[][] xs, double[] w) {
        double s = 0;
        for (int r = 0; r < xs.length; r++) {
            if (r % 2 == 0) {
                double dot = 0;
                for (int j = 0; j < w.length; j++) dot += xs[r][j] * w[j];
                s += Math.tanh(dot);
            } else {
                s += w[0] * r;
            }
        }
        return s;
    }

    /** Two inner loops in a fused loop, the second reading the first one's sum. */
    @Differentiable
    static double twoInner(double[] x, int n) {
        double s = 0;
        for (int r = 0; r < n; r++) {
            double a = 0;
            for (int j = 0; j < x.length; j++) a += x[j] * r;
            double b = 1;
            for (int j = 0; j < x.length; j++) b *= Math.cos(x[j] + a);
            s += a * b;
        }
        return s;
    }

    /** An inner loop that breaks, inside a fused loop. */
    @Differentiable
    static double innerBreak(double[] x, int n) {
        double s = 0;
        for (int r = 0; r < n; r++) {
            double p = 0.5;
            int j = 0;
            while (j < x.length) {
                if (p > 2) break;
                p = p * (1 + x[j] * x[j]);
                j++;
            }
            s += p * r;
        }
        return s;
    }

    /** continue in an inner loop of a fused loop. */
    @Differentiable
    static double innerContinueFused(double[] x, int n) {
        double s = 0;
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < x.length; j++) {
                if ((j + r) % 3 == 0) continue;
                s += x[j] * x[j] * (r + 1);
            }
        }
        return s;
    }

    /** Static fields read in the loop and after it. */
    @Differentiable
    static double staticField(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * K + C * x[i] * x[i];
        return s * K;
    }

    /** A local array written before the loop, read in it, and overwritten with the sum after it. */
    @Differentiable
    static double localBeforeInsideAfter(double[] x, double p) {
        double[] y = new double[3];
        y[0] = p;
        y[1] = x[0];
        y[2] = p * p;
        double s = 0;
        for (int i = 0; i < 3; i++) s += y[i] * x[i % x.length];
        y[2] = s;
        return y[2] + y[0];
    }

    /** Elements of a local array read twice per iteration at repeating indices. */
    @Differentiable
    static double localReadTwice(double[] x, double p) {
        double[] y = {p, x[0], 2 * p};
        double s = 0;
        for (int i = 0; i < 6; i++) s += y[i / 2] * y[i % 3];
        return s;
    }

    /** A local array element compound-assigned the sum after the loop. */
    @Differentiable
    static double localAccumAfter(double[] x, double p) {
        double[] y = {p, x[0]};
        double s = 0;
        for (int i = 0; i < 2; i++) s += y[i] * y[i];
        y[1] += s;
        return y[1] * p;
    }

    /** A variance-like second loop that reads the first loop's sum. */
    @Differentiable
    static double sumThenLoopReadsSum(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i];
        double t = 0;
        for (int i = 0; i < x.length; i++) t += (x[i] - s) * (x[i] - s);
        return t;
    }

    /** A sum, then a product over the same array (the product keeps its reverse loop). */
    @Differentiable
    static double productAfterSum(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * x[i];
        double p = 1;
        for (int i = 0; i < x.length; i++) p *= 1 + x[i] * 0.01;
        return s * 3 + p;
    }

    /** The sum decides a branch after the loop. */
    @Differentiable
    static double sumUsedInCondition(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * x[i];
        if (s > 2) return s * 2;
        return s;
    }

    /** A loop reading a value chosen by a branch before it. */
    @Differentiable
    static double loopAfterBranch(double[] x, boolean c) {
        double a = c ? x[0] : 2 * x[0];
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * a;
        return s;
    }

    /** The sum's adjoint comes from a branch after the loop. */
    @Differentiable
    static double adjointFromBranchAfter(double[] x, boolean c) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * x[i];
        double r;
        if (c) r = s * 2;
        else r = s * 3;
        return r;
    }

    /** The sum's adjoint comes from a loop after it. */
    @Differentiable
    static double adjointFromLoopAfter(double[] x, int n) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * x[i];
        double r = 0;
        for (int k = 0; k < n; k++) r += s;
        return r;
    }

    /** A sum that subtracts. */
    @Differentiable
    static double decrementSum(double[] x) {
        double s = 10;
        for (int i = 0; i < x.length; i++) s -= x[i] * x[i];
        return s;
    }

    /** A sum written s = f + s. */
    @Differentiable
    static double assignSum(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s = x[i] * x[i] + s;
        return s;
    }

    /** A counter that starts near Integer.MAX_VALUE. */
    @Differentiable
    static double counterOverflowEdge(double[] x, int n) {
        double s = 0;
        for (int i = Integer.MAX_VALUE - n; i > 0 && i <= Integer.MAX_VALUE - 1; i++) s += x[(Integer.MAX_VALUE - i) % x.length];
        return s;
    }

    /** A long counter, the index a cast. */
    @Differentiable
    static double longCounter(double[] x, long n) {
        double s = 0;
        for (long i = 0; i < n; i++) s += x[(int) (i % x.length)] * x[(int) (i % x.length)];
        return s;
    }

    /** A counter stepped twice in the body, with a read between. */
    @Differentiable
    static double incrementInBody(double[] x) {
        double s = 0;
        int i = 0;
        while (i < x.length) {
            s += x[i] * x[i];
            ++i;
            if (i < x.length) s += x[i];
            i++;
        }
        return s;
    }

    /** A counter stepped by one or two depending on the data. */
    @Differentiable
    static double conditionalStep(double[] x) {
        double s = 0;
        int i = 0;
        while (i < x.length) {
            s += x[i] * x[i];
            if (x[i] > 0) i++;
            else i += 2;
        }
        return s;
    }

    /** Two additions per iteration with the same index. */
    @Differentiable
    static double sumOfTwoTermsIndexSame(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i];
            s += x[i] * x[i];
        }
        return s;
    }

    /** A loop whose reverse writes d_x[i], followed (in the reverse) by one that adds to it. */
    @Differentiable
    static double writeOnceThenAfter(double[] x) {
        double a = 0;
        for (int i = 0; i < x.length; i++) a += x[i] * x[i];
        double b = 0;
        for (int i = x.length - 1; i >= 0; i--) b += x[i] * 3;
        return a + b;
    }

    /** Rows indexed by the counter, which the reverse also reads for another array. */
    @Differentiable
    static double rowsIndexed(double[][] xs, double[] w, double[] x) {
        double s = 0;
        for (int i = 0; i < xs.length; i++) {
            double dot = 0;
            for (int j = 0; j < w.length; j++) dot += xs[i][j] * w[j];
            s += dot * dot * x[i % x.length];
        }
        return s;
    }

    /** Enhanced for over rows with a second counter used as an index. */
    @Differentiable
    static double rowsEnhancedIndexed(double[][] xs, double[] w) {
        double s = 0;
        int r = 0;
        for (double[] row : xs) {
            double dot = 0;
            for (int j = 0; j < w.length; j++) dot += row[j] * w[j];
            s += dot * dot * w[r % w.length];
            r++;
        }
        return s;
    }

    /** A while loop stepping its counter before the last read of it. */
    @Differentiable
    static double whileIndexed(double[] x, double[] w) {
        double s = 0;
        int i = 0;
        while (i < x.length) {
            double p = 1;
            for (int j = 0; j < w.length; j++) p *= w[j] + x[i];
            i++;
            s += p * x[i - 1];
        }
        return s;
    }

    /** A while loop stepping its counter at the end, with an inner product. */
    @Differentiable
    static double whileIndexedUse(double[] x, double[] w) {
        double s = 0;
        int i = 0;
        while (i < x.length) {
            double p = 1;
            for (int j = 0; j < w.length; j++) p *= w[j] + x[i];
            s += p * x[i];
            i++;
        }
        return s;
    }

    /** A local array element overwritten after the loop and never read again. */
    @Differentiable
    static double deadWriteAfter(double[] x, double p) {
        double[] y = new double[2];
        y[0] = x[0];
        y[1] = p;
        double s = 0;
        for (int i = 0; i < 2; i++) s += y[i] * y[i];
        y[1] = p * 3;
        return s;
    }

    /** As deadWriteAfter, with another element read after the write. */
    @Differentiable
    static double deadWriteAfter2(double[] x, double p) {
        double[] y = new double[2];
        y[0] = x[0];
        y[1] = p;
        double s = 0;
        for (int i = 0; i < 2; i++) s += y[i] * y[i];
        y[1] = p * 3;
        return s + y[0];
    }

    /** Writes after the loop that read other elements of the array. */
    @Differentiable
    static double writeAfterReadOther(double[] x, double p) {
        double[] y = new double[3];
        y[0] = x[0];
        y[1] = p;
        y[2] = p * x[0];
        double s = 0;
        for (int i = 0; i < 3; i++) s += y[i] * y[i];
        y[1] = p * 3;
        y[0] = y[2] * 2;
        return s * y[0];
    }

    /** The loop writes a local array that is read after it. */
    @Differentiable
    static double loopWritesLocalReadAfter(double[] x) {
        double[] y = new double[x.length];
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * x[i];
            s += x[i];
        }
        return s + y[0] * 2 + y[x.length - 1];
    }

    /** The loop overwrites two elements of a local array again and again. */
    @Differentiable
    static double loopWritesLocalRepeated(double[] x) {
        double[] y = new double[2];
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            y[i % 2] = x[i] * x[i];
            s += x[i];
        }
        return s + y[0] * 2 + y[1];
    }

    /** An element overwritten after the loop, then compound-assigned the sum. */
    @Differentiable
    static double writeAfterThenAccum(double[] x, double p) {
        double[] y = new double[2];
        y[0] = x[0];
        y[1] = p;
        double s = 0;
        for (int i = 0; i < 2; i++) s += y[i] * y[i];
        y[1] = p * 3;
        y[1] += s;
        return s;
    }

    /** An else-if chain on the counter choosing what to add. */
    @Differentiable
    static double maskedElse(double[] x, double t) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            if (i % 3 == 0) s += t * x[i];
            else if (i % 3 == 1) s += t;
            else s -= 2 * t;
        }
        return s * 3;
    }

    /** continue, then a branch on the data, in one loop. */
    @Differentiable
    static double maskedContinue(double[] x, double t) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            if (i == 1) continue;
            if (x[i] > 0) s += t;
            s += x[i];
        }
        return s;
    }
}
