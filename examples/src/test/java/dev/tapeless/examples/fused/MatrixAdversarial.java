package dev.tapeless.examples.fused;

import dev.tapeless.Differentiable;
import dev.tapeless.runtime.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adversarial methods for the matrix loops ({@code MatrixAdversarialTest}): broadcasts whose first
 * value is the smaller one, sums and means over every combination of axes feeding later
 * elementwise values, values read by several loops, gradients that are arguments or the same for
 * two parameters, unused parameters, products with one row or column, of a matrix with itself,
 * chained, transposed or of vectors, softmax along either axis and of vectors, and double
 * parameters next to tensors.
 */
public final class MatrixAdversarial {
    private MatrixAdversarial() {}

    /** A sum over the last axis, dropped ({@code [n]}), squared: its adjoint is spread back over the rows. */
    @Differentiable
    public static Variable rowSumsSquared(Variable x) {
        Variable s = x.sum(1);
        return s.mul(s).sum();
    }

    /** A mean over axis -1, dropped, through an elementwise function before the total. */
    @Differentiable
    public static Variable rowMeansExp(Variable x) {
        Variable m = x.mean(-1);
        return m.mul(m.exp()).sum();
    }

    /** A sum over axis 0, dropped ({@code [k]}), squared: the axis that lines up with NumPy's broadcasting. */
    @Differentiable
    public static Variable columnSumsSquared(Variable x) {
        Variable s = x.sum(0);
        return s.mul(s).sum();
    }

    /** A dropped row sum ({@code [n]}) added to the matrix: NumPy broadcasts it along the rows ({@code n == k}). */
    @Differentiable
    public static Variable rowSumsPlusMatrix(Variable x) {
        return x.sum(1).add(x).tanh().sum();
    }

    /** A vector {@code [k]} times a column {@code [k, 1]}: an outer broadcast to {@code [k, k]}. */
    @Differentiable
    public static Variable vectorTimesColumn(Variable v, Variable c) {
        return v.mul(c).sin().sum();
    }

    /** The loop's first value is a column: {@code exp(c) [n, 1]} then {@code exp(c) * m [n, k]}. */
    @Differentiable
    public static Variable columnFirst(Variable c, Variable m) {
        Variable e = c.exp();
        return e.mul(m).add(e).sum().add(e.sum());
    }

    /** The loop's first value is one element ({@code s} rank 0 or {@code [1, 1]}). */
    @Differentiable
    public static Variable scalarFirst(Variable s, Variable m) {
        Variable t = s.mul(s);
        return t.add(m).sin().mul(t).sum();
    }

    /** The loop's first value is a row {@code [1, k]} or {@code [k]}, the second a matrix, the third a column. */
    @Differentiable
    public static Variable rowThenMatrixThenColumn(Variable r, Variable m, Variable c) {
        Variable a = r.sigmoid();
        Variable b = a.mul(m);
        Variable d = b.div(c.mul(c).add(1.0));
        return d.sum().add(a.mul(a).sum());
    }

    /** Sums and means over both axes, kept and dropped, negative and positive, feeding one elementwise chain. */
    @Differentiable
    public static Variable allAxes(Variable x) {
        Variable both = x.sum(0, 1);
        Variable kept = x.mean(true, 0, 1);
        Variable rows = x.sum(true, -1);
        Variable columns = x.mean(false, -2);
        return x.mul(both).add(kept).sub(rows).mul(columns).tanh().sum();
    }

    /** Means and sums kept, read by the loop that computes the next ones. */
    @Differentiable
    public static Variable meanCentered(Variable x) {
        Variable centered = x.sub(x.mean(true, 0));
        Variable variance = centered.mul(centered).mean(true, 0);
        Variable z = centered.div(variance.add(1e-3).sqrt());
        return z.mul(z.sum(true, 1)).mean();
    }

    /** One value read by several loops and sums. */
    @Differentiable
    public static Variable reused(Variable x) {
        Variable t = x.tanh();
        Variable a = t.mul(t.sum(0));
        Variable b = t.mul(t.sum(true, 1));
        return a.add(b).sum().add(t.sum()).add(t.mean(true, 0).mul(t).mean());
    }

    /** Gradients of ones: the sums that undo nothing. */
    @Differentiable
    public static Variable plain(Variable x, Variable y) {
        return x.add(y).sum();
    }

    /** Gradients that are the other argument (broadcast or not). */
    @Differentiable
    public static Variable linear(Variable x, Variable y) {
        return x.mul(y).sum();
    }

    /** A parameter that the value does not read. */
    @Differentiable
    public static Variable unused(Variable x, Variable ignored) {
        return x.mul(x).sum();
    }

    /** Two parameters with one and the same gradient. */
    @Differentiable
    public static Variable twin(Variable x, Variable y) {
        Variable s = x.add(y);
        return s.mul(s).sum();
    }

    /** A square matrix times itself. */
    @Differentiable
    public static Variable selfProduct(Variable x) {
        Variable p = x.mmul(x);
        return p.mul(p).sum();
    }

    /** A Gram matrix through a transpose. */
    @Differentiable
    public static Variable gram(Variable x) {
        return x.mmul(x.transpose()).tanh().sum();
    }

    /** A chain of products with elementwise steps between. */
    @Differentiable
    public static Variable chain(Variable a, Variable b, Variable c, Variable d) {
        return a.mmul(b).tanh().mmul(c).mmul(d).sigmoid().sum();
    }

    /** Outer and inner products of a column {@code [n, 1]} and a row {@code [1, k]}. */
    @Differentiable
    public static Variable outerInner(Variable c, Variable r, Variable m, Variable w) {
        return c.mmul(r).mul(m).sum().add(r.mmul(w).exp().sum());
    }

    /** Products of a vector {@code [k]} and a matrix {@code [k, k]}, on either side (rank 1: the ND4J path). */
    @Differentiable
    public static Variable vectorProducts(Variable v, Variable m) {
        return v.mmul(m).mul(m.mmul(v)).sum().add(v.mmul(v));
    }

    /** Softmax along axis 0 (not the rows). */
    @Differentiable
    public static Variable softmaxColumns(Variable x, INDArray y) {
        return x.softmax(0).mul(Variable.constant(y)).sum();
    }

    /** Log-softmax along axis -1, weighted, and softmax of that again along 1. */
    @Differentiable
    public static Variable softmaxRowsTwice(Variable x, INDArray y) {
        Variable l = x.logSoftmax(-1);
        return l.mul(Variable.constant(y)).sum().add(l.softmax(1).mul(x).sum());
    }

    /** Softmax and log-softmax of a vector, along 0 and -1. */
    @Differentiable
    public static Variable softmaxVector(Variable v, INDArray y) {
        return v.softmax(0).mul(Variable.constant(y)).sum().add(v.logSoftmax(-1).mul(Variable.constant(y)).sum());
    }

    /** Log-softmax along 0 of a matrix. */
    @Differentiable
    public static Variable logSoftmaxColumns(Variable x, INDArray y) {
        return x.logSoftmax(0).mul(Variable.constant(y)).sum();
    }

    /** A double parameter next to tensors: its gradient is a total. */
    @Differentiable
    public static Variable scaled(Variable x, double s, Variable b) {
        return x.mul(s).add(b).tanh().pow(3).sum().mul(s);
    }

    /** Operations whose domain ends: log, sqrt, pow of negatives, division by zero, relu and abs at 0. */
    @Differentiable
    public static Variable domains(Variable x, Variable y) {
        Variable a = x.log().mul(y).add(x.sqrt());
        Variable b = y.div(x).add(x.pow(2.5)).add(x.relu().mul(y.abs()));
        return a.add(b).exp().sum();
    }

    /** The logits of a layer, softmax along rows: a value that is not a scalar (forward only). */
    @Differentiable
    public static Variable probabilities(Variable w, Variable b, INDArray x) {
        return Variable.constant(x).mmul(w).add(b).softmax(1);
    }

    /** A value of shape {@code [1, 1]}: a sum over both axes, kept. */
    @Differentiable
    public static Variable keptTotal(Variable x) {
        return x.mul(x).sum(true, 0, 1);
    }

    /** A layer whose result goes through a mean over rows and a dropped row sum. */
    @Differentiable
    public static Variable layerRowSums(Variable w, INDArray x) {
        Variable h = Variable.constant(x).mmul(w).tanh();
        Variable s = h.sum(1);
        return s.mul(s).mean().add(h.mean(true, 0).sum());
    }

    /** Sums and means over all axes, kept ({@code [1, 1]}), broadcast back onto the matrix. */
    @Differentiable
    public static Variable keptEverything(Variable x, Variable y) {
        return x.mean(true).mul(x).add(y.sum(true)).sub(x.sum(true, 0, 1).mul(y)).sigmoid().sum();
    }

    /** Reversed operations and divisions with broadcast operands. */
    @Differentiable
    public static Variable reversed(Variable x, Variable c, Variable r) {
        return x.rdiv(c).add(r.rsub(x)).add(c.div(r.mul(r).add(1.0))).add(x.rsub(2.0)).add(c.rdiv(3.0)).sum();
    }

    /** A power with a double exponent parameter. */
    @Differentiable
    public static Variable power(Variable x, double p, Variable c) {
        return x.mul(x).add(c).pow(p).sum();
    }

    /** Ops outside the matrix path (expand, reshape, slice) next to ones inside it. */
    @Differentiable
    public static Variable shapeOps(Variable x, Variable c) {
        Variable e = c.expand(3, 4).mul(x);
        return e.reshape(4, 3).slice(1).sum().add(e.mul(c).sum());
    }

    /** A layer without bias whose gradient of w is one product (written by gemm into the caller's array when reused). */
    @Differentiable
    public static Variable linearLayer(Variable w, Variable c, INDArray x) {
        return Variable.constant(x).mmul(w).mul(c).sum();
    }

    /** A value that the reverse pass reads: exp of a sum over both axes (rank 0). */
    @Differentiable
    public static Variable expOfTotal(Variable x, Variable c) {
        return x.mul(c).sum(0, 1).mul(0.1).exp();
    }
}
