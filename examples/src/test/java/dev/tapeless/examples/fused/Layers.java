package dev.tapeless.examples.fused;

import dev.tapeless.Differentiable;
import dev.tapeless.runtime.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Methods for the matrix loops ({@code MatrixLoopsTest}): rank 2 at most, with matrix products,
 * broadcasting along rows, columns and from one element, sums and means over an axis, softmax and
 * log-softmax along rows.
 */
public final class Layers {
    private Layers() {}

    /** A dense layer and a squared error against data: {@code mean((tanh(x·w + b) - y)²)}. */
    @Differentiable
    public static Variable dense(Variable w, Variable b, INDArray x, INDArray y) {
        Variable h = Variable.constant(x).mmul(w).add(b).tanh();
        Variable e = h.sub(Variable.constant(y));
        return e.mul(e).mean();
    }

    /** Two layers, cross-entropy: the example's perceptron with a column of per-example weights. */
    @Differentiable
    public static Variable weightedCrossEntropy(Variable w1, Variable b1, Variable w2, Variable perExample,
            INDArray x, INDArray labels) {
        Variable hidden = Variable.constant(x).mmul(w1).add(b1).relu();
        Variable logProbabilities = hidden.mmul(w2).logSoftmax(1);
        Variable perRow = logProbabilities.mul(Variable.constant(labels)).sum(true, 1);
        return perRow.mul(perExample).sum().neg();
    }

    /** Broadcasting two ways at once: {@code a [r, c]}, {@code row [c]}, {@code column [r, 1]}, {@code s} any one element. */
    @Differentiable
    public static Variable broadcasts(Variable a, Variable row, Variable column, Variable s) {
        Variable t = a.mul(row).add(column).sub(s.mul(a));
        return t.sigmoid().mul(column.exp()).sum();
    }

    /** Sums and means over each axis, kept and dropped, and a softmax. */
    @Differentiable
    public static Variable reductions(Variable a, Variable b) {
        Variable columns = a.mul(b).sum(0);
        Variable rows = a.sub(b).mean(true, 1);
        Variable p = a.softmax(1).mul(rows);
        return columns.mul(columns).sum().add(p.sum(true, 0).mul(a.mean(0)).sum());
    }

    /** A product of a matrix with a transposed one, and a transposed product. */
    @Differentiable
    public static Variable products(Variable a, Variable b, Variable c) {
        Variable ab = a.mmul(b);
        Variable abc = ab.mmul(c).tanh();
        return abc.mul(abc).sum().add(ab.sum(1).mul(ab.sum(1)).mean());
    }

    /**
     * Products with vectors: matrix·vector and vector·matrix (NumPy's matmul by rank). A product of
     * two vectors is one number, whose adjoint is a Java number: that method keeps the ND4J path.
     */
    @Differentiable
    public static Variable vectors(Variable w, Variable m, Variable u, INDArray x) {
        Variable xw = Variable.constant(x).mmul(w);
        Variable wm = w.mmul(m);
        Variable wmu = wm.mmul(u);
        return xw.mul(xw).sum().add(wmu.mul(wmu).sum()).add(wm.sum());
    }

    /** A result that is not a scalar: logits of a layer (forward and Vjp only). */
    @Differentiable
    public static Variable logits(Variable w, Variable b, INDArray x) {
        return Variable.constant(x).mmul(w).add(b).logSoftmax(1);
    }
}
